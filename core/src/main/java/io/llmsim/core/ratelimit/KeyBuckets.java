package io.llmsim.core.ratelimit;

/**
 * The request and token buckets of one API key on one model, under one small lock: a request
 * takes from both or from neither. Held for a few arithmetic operations, never across I/O, so
 * event loops contending for it wait nanoseconds.
 *
 * <p>{@link RateLimiter} drops a pair from its map by retiring it first; a retired pair refuses
 * every operation (null or false), so a caller that still held it looks up the key's live pair
 * again instead of counting into one nobody sees.
 */
final class KeyBuckets {
  private final TokenBucket requests;
  private final TokenBucket tokens;
  private boolean retired;

  KeyBuckets(RateLimit limit, long nowNanos) {
    this.requests = limit.requestsPerMinute() == 0 ? null
        : new TokenBucket(limit.requestsPerMinute(), nowNanos);
    this.tokens = limit.tokensPerMinute() == 0 ? null
        : new TokenBucket(limit.tokensPerMinute(), nowNanos);
  }

  /**
   * Takes one request and {@code tokenCount} tokens when both fit; says how it went. Null when
   * the pair is retired.
   */
  synchronized RateLimitDecision admit(long tokenCount, long nowNanos) {
    if (retired) {
      return null;
    }
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

  /**
   * Settles a reservation: gives back what was reserved but not used (or takes the excess).
   * False when the pair is retired.
   */
  synchronized boolean settle(long reservedTokens, long usedTokens, long nowNanos) {
    if (retired) {
      return false;
    }
    if (tokens != null && reservedTokens != usedTokens) {
      tokens.refill(nowNanos);
      tokens.settle(reservedTokens - usedTokens);
    }
    return true;
  }

  /** The state now, for the headers of an answer; null when the pair is retired. */
  synchronized RateLimitDecision.BucketState[] states(long nowNanos) {
    if (retired) {
      return null;
    }
    if (requests != null) {
      requests.refill(nowNanos);
    }
    if (tokens != null) {
      tokens.refill(nowNanos);
    }
    return new RateLimitDecision.BucketState[] {state(requests), state(tokens)};
  }

  /**
   * Retires the pair when both buckets are full at {@code nowNanos}: it is then the same as a
   * fresh pair, so the key loses nothing when the next request makes a new one.
   */
  synchronized boolean retireIfFull(long nowNanos) {
    if (!retired && (requests == null || requests.fullAt(nowNanos))
        && (tokens == null || tokens.fullAt(nowNanos))) {
      retired = true;
    }
    return retired;
  }

  /** Retires the pair whatever its state: the last resort when there are too many pairs. */
  synchronized void retire() {
    retired = true;
  }

  private static RateLimitDecision.BucketState state(TokenBucket bucket) {
    return bucket == null ? null : new RateLimitDecision.BucketState(bucket.capacity(),
        bucket.remaining(), bucket.untilFull());
  }
}
