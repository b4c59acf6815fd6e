package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens the RocksDB store a {@code --store DIR} names, refusing directories that are not stores:
 * RocksDB would otherwise happily create its files in any directory it is given.
 */
final class StoreDirs {
  // RocksDB writes this file first in every database directory.
  private static final String ROCKSDB_MARKER = "CURRENT";

  private StoreDirs() {}

  /** Opens a store that must already exist. */
  static ExchangeStore openExisting(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(List.of("--store: " + dir + ": no such directory"));
    }
    if (!Files.exists(dir.resolve(ROCKSDB_MARKER))) {
      throw new ConfigException(List.of("--store: " + dir + ": not an llmsim store"));
    }
    return open(dir);
  }

  /** Opens a store, creating it when the directory is missing or empty. */
  static ExchangeStore openOrCreate(Path dir) {
    if (Files.isDirectory(dir) && !Files.exists(dir.resolve(ROCKSDB_MARKER)) && !isEmpty(dir)) {
      throw new ConfigException(List.of("--store: " + dir
          + ": not an llmsim store, and not empty; choose a new or empty directory"));
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigException(List.of("--store: " + dir + ": not a directory"));
    }
    return open(dir);
  }

  private static ExchangeStore open(Path dir) {
    try {
      return RocksDbExchangeStore.open(dir);
    } catch (StoreException e) {
      throw new CliException(e.getMessage(), e); // names the store, and another holder if any
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new CliException(dir + ": cannot list: " + e.getMessage(), e);
    }
  }
}
