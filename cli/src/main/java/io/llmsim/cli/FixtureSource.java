package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.fixtures.FixtureFormatException;
import io.llmsim.store.fixtures.FixtureReader;
import io.llmsim.store.fixtures.FixtureSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where {@code list} and {@code show} read exchanges: a store ({@code --store DIR}) or a set
 * (PATH), with each exchange's take number and its fingerprint's number of takes.
 */
final class FixtureSource {
  /** An exchange with its position among its fingerprint's takes. */
  record Take(RecordedExchange exchange, int take, int of) {}

  private FixtureSource() {}

  /** Exactly one of the two must be given. */
  static void requireOne(Path set, Path store) {
    if ((set == null) == (store == null)) {
      throw new ConfigException(List.of(set == null
          ? "give a fixture set PATH or --store DIR"
          : "give either a fixture set PATH or --store DIR, not both"));
    }
  }

  /** Every exchange of a set (checked) or a store, each with its take number. */
  static void forEach(Path set, Path store, Consumer<Take> visitor) {
    if (set != null) {
      FixtureSet s;
      try {
        s = FixtureReader.read(set);
      } catch (FixtureFormatException e) {
        throw FixturesCommand.broken(e);
      }
      Map<String, Integer> counts = new HashMap<>();
      s.entries().forEach(en -> counts.merge(en.exchange().fingerprint(), 1, Integer::sum));
      s.entries().forEach(en -> visitor.accept(
          new Take(en.exchange(), en.take(), counts.get(en.exchange().fingerprint()))));
      return;
    }
    try (ExchangeStore db = StoreDirs.openExisting(store)) {
      // Take numbers need the store's order of each fingerprint; ask only for those with more
      // than one take, so a large store is read about once.
      Map<String, List<String>> idsByFingerprint = new HashMap<>();
      db.forEach(e -> idsByFingerprint.computeIfAbsent(e.fingerprint(), k -> new ArrayList<>())
          .add(e.id()));
      Map<String, List<String>> order = new HashMap<>();
      idsByFingerprint.forEach((fp, ids) -> order.put(fp, ids.size() == 1 ? ids
          : db.takes(fp).stream().map(RecordedExchange::id).toList()));
      db.forEach(e -> {
        List<String> ids = order.get(e.fingerprint());
        int take = ids == null ? 1 : ids.indexOf(e.id()) + 1;
        visitor.accept(new Take(e, Math.max(take, 1), ids == null ? 1 : ids.size()));
      });
    }
  }
}
