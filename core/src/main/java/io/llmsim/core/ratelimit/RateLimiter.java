package io.llmsim.core.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Token buckets per API key (by its hash; never the key) and model: requests per minute and
 * tokens per minute, as the providers limit them. A request reserves its input tokens plus the
 * output it asked for; its {@link Ticket} settles the reservation with the real output once the
 * answer is known. Thread-safe: buckets sit in a concurrent map, each pair under its own lock.
 */
public final class RateLimiter {
  private record BucketKey(String keyHash, String model) {}

  private final RateLimits limits;
  private final LongSupplier nanoClock;
  private final Map<BucketKey, KeyBuckets> buckets = new ConcurrentHashMap<>();

  public RateLimiter(RateLimits limits) {
    this(limits, System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests step it by hand) */
  public RateLimiter(RateLimits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
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
    KeyBuckets pair = buckets.computeIfAbsent(new BucketKey(keyHash, modelName),
        k -> new KeyBuckets(limit, now));
    return new Ticket(pair, inputTokens, pair.admit(inputTokens + maxOutputTokens, now));
  }

  /** One admitted (or refused) request: its decision, and the settling of its reservation. */
  public final class Ticket {
    private final KeyBuckets pair;
    private final long inputTokens;
    private final RateLimitDecision decision;
    private final AtomicBoolean settled = new AtomicBoolean();

    private Ticket(KeyBuckets pair, long inputTokens, RateLimitDecision decision) {
      this.pair = pair;
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
        pair.settle(decision.reservedTokens(), inputTokens + outputTokens,
            nanoClock.getAsLong());
      }
    }

    /** The buckets as they are now: for the headers of the answer. */
    public RateLimitDecision.BucketState[] now() {
      return pair.states(nanoClock.getAsLong());
    }
  }
}
