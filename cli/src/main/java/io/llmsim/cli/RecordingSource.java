package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.InMemoryExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.fixtures.FixtureFormatException;
import io.llmsim.store.fixtures.FixtureSets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a command reads recordings from: a store ({@code --store DIR}) or fixture sets
 * ({@code --fixtures PATH...}, checked and read into memory). Exactly one of them; used as a
 * picocli argument group.
 */
final class RecordingSource {
  @Option(names = "--store", paramLabel = "DIR", required = true,
      description = "The store of recorded exchanges (as written by record).")
  Path store;

  @Option(names = "--fixtures", paramLabel = "PATH", required = true, arity = "1..*",
      description = "Fixture sets (directories with a manifest.json) instead of a store.")
  List<Path> fixtures;

  /** Opens the source; the caller closes it. */
  ExchangeStore open() {
    if (store != null) {
      return StoreDirs.openExisting(store);
    }
    InMemoryExchangeStore memory = new InMemoryExchangeStore();
    for (Path set : fixtures) {
      try {
        for (RecordedExchange exchange : FixtureSets.load(set)) {
          memory.put(exchange);
        }
      } catch (FixtureFormatException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
    return memory;
  }

  /** The source in words, for messages and file headers. */
  String describe() {
    return store != null ? "the store " + store : "the fixture sets " + fixtures;
  }
}
