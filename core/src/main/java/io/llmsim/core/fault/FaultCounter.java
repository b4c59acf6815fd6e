package io.llmsim.core.fault;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts injected faults by kind, provider and model, for the metrics endpoint to read.
 * Thread-safe: requests on every event loop count into it.
 */
public final class FaultCounter {
  /** One counted combination; {@code model} is {@code "-"} when the request named none. */
  public record Key(FaultKind kind, String provider, String model) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

  public void record(FaultKind kind, String provider, String model) {
    counts.computeIfAbsent(new Key(kind, provider, model == null ? "-" : model),
        k -> new LongAdder()).increment();
  }

  /** How many faults of this combination were injected so far. */
  public long count(FaultKind kind, String provider, String model) {
    LongAdder adder = counts.get(new Key(kind, provider, model == null ? "-" : model));
    return adder == null ? 0 : adder.sum();
  }

  /** A copy of every count, in a stable order. */
  public Map<Key, Long> snapshot() {
    Map<Key, Long> copy = new TreeMap<>(
        Comparator.comparing((Key k) -> k.kind())
            .thenComparing(Key::provider).thenComparing(Key::model));
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }
}
