package io.llmsim.proxy.replay;

import io.llmsim.core.api.Routed;
import io.llmsim.store.ExchangeStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What strict mode keeps track of while replay runs: which recordings were served, and which
 * requests found none. Thread-safe; the hot path is one set insertion per served answer.
 */
final class StrictLedger {
  private record Miss(long firstSeen, String endpoint, String model, AtomicLong count) {}

  private final Set<String> served = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Miss> misses = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  void served(String recordingId) {
    served.add(recordingId);
  }

  void unmatched(Routed routed, String fingerprint) {
    misses.computeIfAbsent(fingerprint, k -> new Miss(sequence.getAndIncrement(),
        routed.endpoint(), routed.model(), new AtomicLong())).count().incrementAndGet();
  }

  /**
   * The report so far. Blocking (it lists the store): run it on the store's thread.
   *
   * @param includeIncomplete whether recordings cut short count (they are served only then)
   */
  StrictReport report(ExchangeStore store, boolean includeIncomplete) {
    List<StrictReport.Unmatched> unmatched = new ArrayList<>();
    misses.entrySet().stream()
        .sorted(Comparator.comparingLong(e -> e.getValue().firstSeen()))
        .forEach(e -> unmatched.add(new StrictReport.Unmatched(e.getValue().endpoint(),
            e.getValue().model(), e.getKey(), e.getValue().count().get())));
    List<String> unused = new ArrayList<>();
    long[] unusedCount = {0};
    store.forEach(e -> {
      if ((e.complete() || includeIncomplete) && !served.contains(e.id())) {
        unusedCount[0]++;
        if (unused.size() < StrictReport.MAX_LISTED) {
          unused.add(e.id());
        }
      }
    });
    return new StrictReport(unmatched, unused, unusedCount[0]);
  }
}
