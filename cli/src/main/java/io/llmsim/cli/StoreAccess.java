package io.llmsim.cli;

import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Opens an existing store for the commands that read one; never creates one by accident. */
final class StoreAccess {
  private StoreAccess() {}

  /**
   * @throws ParameterException (a usage error) when {@code dir} holds no store
   * @throws CliException when the store cannot be opened, such as while a server holds it
   */
  static RocksDbExchangeStore open(CommandLine cmd, Path dir) {
    // RocksDB keeps a CURRENT file in every database directory: without it there is no store.
    if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
      throw new ParameterException(cmd, "--store: no llmsim store in '" + dir + "'");
    }
    try {
      return RocksDbExchangeStore.open(dir);
    } catch (StoreException e) {
      throw new CliException("cannot open the store in '" + dir + "': " + e.getMessage(), e);
    }
  }
}
