package io.llmsim.proxy.replay;

import io.llmsim.core.synth.RequestOptions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses which of a request's recordings (its takes) to serve: the one the header names
 * ({@code take=N}, 1-based), else the one its seed selects (seed mod count), else the next in
 * turn: the nth identical request gets the nth take, then the last one again. Thread-safe: the
 * turn is one counter per fingerprint.
 */
final class TakePicker {
  private final ConcurrentHashMap<String, AtomicInteger> served = new ConcurrentHashMap<>();

  /**
   * The 0-based index of the take to serve, or -1 when the header asks for a take beyond
   * {@code count}.
   *
   * @param count how many takes may be served; at least one
   */
  int pick(String fingerprint, int count, RequestOptions options) {
    if (options.take() != null) {
      return options.take() <= count ? options.take() - 1 : -1;
    }
    if (options.seed() != null) {
      return (int) Math.floorMod(options.seed(), (long) count);
    }
    // Saturates instead of wrapping, so a long run never turns negative.
    int turn = served.computeIfAbsent(fingerprint, k -> new AtomicInteger())
        .getAndUpdate(n -> n == Integer.MAX_VALUE ? n : n + 1);
    return Math.min(turn, count - 1);
  }
}
