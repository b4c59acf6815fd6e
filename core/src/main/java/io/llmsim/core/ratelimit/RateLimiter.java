package io.llmsim.core.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Token buckets per API key (by its hash; never the key) and model: requests per minute and
 * tokens per minute, as the providers limit them. A request reserves its input tokens plus the
 * output it asked for; its {@link Ticket} settles the reservation with the real output once the
 * answer is known. Thread-safe: buckets sit in a concurrent map, each pair under its own lock.
 *
 * <p>The map stays bounded however many keys and model names clients send. Every
 * {@value #SWEEP_EVERY_SECONDS} seconds an admission drops the pairs whose buckets are full
 * again: a full pair is the same as the fresh one the key's next request makes, so no limit
 * changes. A ticket always settles into its key's live pair (making one if the key's was
 * dropped), which is where its reservation would have been accounted. As a last resort, when
 * {@value #MAX_PAIRS} pairs are in use at once, arbitrary pairs are dropped whatever their state,
 * and those keys start again from full buckets.
 */
public final class RateLimiter {
  static final int MAX_PAIRS = 100_000;
  static final long SWEEP_EVERY_SECONDS = 10;
  private static final long SWEEP_EVERY_NANOS = SWEEP_EVERY_SECONDS * 1_000_000_000L;

  private record BucketKey(String keyHash, String model) {}

  private final RateLimits limits;
  private final LongSupplier nanoClock;
  private final int maxPairs;
  private final Map<BucketKey, KeyBuckets> buckets = new ConcurrentHashMap<>();
  private final AtomicLong nextSweepNanos;

  public RateLimiter(RateLimits limits) {
    this(limits, System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests step it by hand) */
  public RateLimiter(RateLimits limits, LongSupplier nanoClock) {
    this(limits, nanoClock, MAX_PAIRS);
  }

  RateLimiter(RateLimits limits, LongSupplier nanoClock, int maxPairs) {
    this.limits = limits;
    this.nanoClock = nanoClock;
    this.maxPairs = maxPairs;
    this.nextSweepNanos = new AtomicLong(nanoClock.getAsLong() + SWEEP_EVERY_NANOS);
  }

  public RateLimits limits() {
    return limits;
  }

  /**
   * Asks for one request that reserves {@code inputTokens + maxOutputTokens}; null when the
   * model is not limited.
   *
   * @param keyHash the hash of the request's API key ({@code io.llmsim.core.api.ApiKeys})
   */
  public Ticket admit(String keyHash, String model, long inputTokens, long maxOutputTokens) {
    String modelName = model == null ? "-" : model;
    RateLimit limit = limits.forModel(modelName);
    if (limit.unlimited()) {
      return null;
    }
    long now = nanoClock.getAsLong();
    long sweepAt = nextSweepNanos.get();
    // Overflow-safe comparison: nanoTime may be anywhere in the long range.
    if (now - sweepAt >= 0 && nextSweepNanos.compareAndSet(sweepAt, now + SWEEP_EVERY_NANOS)) {
      dropFullPairs(now);
    }
    BucketKey key = new BucketKey(keyHash, modelName);
    long reserved = inputTokens + maxOutputTokens;
    return new Ticket(key, limit, inputTokens,
        onLivePair(key, limit, now, pair -> pair.admit(reserved, now)));
  }

  /** How many pairs are kept now. */
  int size() {
    return buckets.size();
  }

  /**
   * Runs {@code action} on the key's live pair, making one when there is none. The action
   * answers null when the pair was retired meanwhile; then it runs again on the new live pair.
   */
  private <T> T onLivePair(BucketKey key, RateLimit limit, long now,
      Function<KeyBuckets, T> action) {
    while (true) {
      KeyBuckets pair = buckets.get(key);
      if (pair == null) {
        if (buckets.size() >= maxPairs) {
          makeRoom(now);
        }
        pair = buckets.computeIfAbsent(key, k -> new KeyBuckets(limit, now));
      }
      T result = action.apply(pair);
      if (result != null) {
        return result;
      }
      buckets.remove(key, pair); // the sweep may not have got to it yet
    }
  }

  private void dropFullPairs(long now) {
    for (Map.Entry<BucketKey, KeyBuckets> entry : buckets.entrySet()) {
      if (entry.getValue().retireIfFull(now)) {
        buckets.remove(entry.getKey(), entry.getValue());
      }
    }
  }

  /** Drops full pairs, then, if that is not enough, any pairs down to nine tenths of the cap. */
  private void makeRoom(long now) {
    dropFullPairs(now);
    int target = maxPairs - Math.max(1, maxPairs / 10);
    for (Map.Entry<BucketKey, KeyBuckets> entry : buckets.entrySet()) {
      if (buckets.size() <= target) {
        return;
      }
      entry.getValue().retire();
      buckets.remove(entry.getKey(), entry.getValue());
    }
  }

  /** One admitted (or refused) request: its decision, and the settling of its reservation. */
  public final class Ticket {
    private final BucketKey key;
    private final RateLimit limit;
    private final long inputTokens;
    private final RateLimitDecision decision;
    private final AtomicBoolean settled = new AtomicBoolean();

    private Ticket(BucketKey key, RateLimit limit, long inputTokens,
        RateLimitDecision decision) {
      this.key = key;
      this.limit = limit;
      this.inputTokens = inputTokens;
      this.decision = decision;
    }

    public RateLimitDecision decision() {
      return decision;
    }

    /**
     * Replaces the reservation by what the request really used: its input plus the output it
     * got. Once; later calls (and calls for a refused request) do nothing.
     */
    public void settleOutput(long outputTokens) {
      if (decision.admitted() && settled.compareAndSet(false, true)) {
        long now = nanoClock.getAsLong();
        onLivePair(key, limit, now, pair -> pair.settle(decision.reservedTokens(),
            inputTokens + outputTokens, now) ? Boolean.TRUE : null);
      }
    }

    /** The buckets as they are now: for the headers of the answer. */
    public RateLimitDecision.BucketState[] now() {
      long now = nanoClock.getAsLong();
      return onLivePair(key, limit, now, pair -> pair.states(now));
    }
  }
}
