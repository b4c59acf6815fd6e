package io.llmsim.core.ratelimit;

/**
 * The request and token buckets of one API key on one model, under one small lock: a request
 * takes from both or from neither. Held for a few arithmetic operations, never across I/O, so
 * event loops contending for it wait nanoseconds.
 */
final class KeyBuckets {
  private final TokenBucket requests;
  private final TokenBucket tokens;

  KeyBuckets(RateLimit limit, long nowNanos) {
    this.requests = limit.requestsPerMinute() == 0 ? null
        : new TokenBucket(limit.requestsPerMinute(), nowNanos);
    this.tokens = limit.tokensPerMinute() == 0 ? null
        : new TokenBucket(limit.tokensPerMinute(), nowNanos);
  }

  /** Takes one request and {@code tokenCount} tokens when both fit; says how it went. */
  synchronized RateLimitDecision admit(long tokenCount, long nowNanos) {
    long requestWait = 0;
    long tokenWait = 0;
    if (requests != null) {
      requests.refill(nowNanos);
      requestWait = requests.nanosUntilFits(1);
    }
    if (tokens != null) {
      tokens.refill(nowNanos);
      tokenWait = tokens.nanosUntilFits(tokenCount);
    }
    boolean admitted = requestWait == 0 && tokenWait == 0;
    if (admitted) {
      if (requests != null) {
        requests.take(1);
      }
      if (tokens != null) {
        tokens.take(tokenCount);
      }
    }
    RateLimitDecision.Exceeded exceeded = admitted ? null
        : requestWait >= tokenWait ? RateLimitDecision.Exceeded.REQUESTS
            : RateLimitDecision.Exceeded.TOKENS;
    return new RateLimitDecision(exceeded, Math.max(requestWait, tokenWait), tokenCount,
        state(requests), state(tokens));
  }

  /** Settles a reservation: gives back what was reserved but not used (or takes the excess). */
  synchronized void settle(long reservedTokens, long usedTokens, long nowNanos) {
    if (tokens != null && reservedTokens != usedTokens) {
      tokens.refill(nowNanos);
      tokens.settle(reservedTokens - usedTokens);
    }
  }

  /** The state now, for the headers of an answer. */
  synchronized RateLimitDecision.BucketState[] states(long nowNanos) {
    if (requests != null) {
      requests.refill(nowNanos);
    }
    if (tokens != null) {
      tokens.refill(nowNanos);
    }
    return new RateLimitDecision.BucketState[] {state(requests), state(tokens)};
  }

  private static RateLimitDecision.BucketState state(TokenBucket bucket) {
    return bucket == null ? null : new RateLimitDecision.BucketState(bucket.capacity(),
        bucket.remaining(), bucket.untilFull());
  }
}
