package io.llmsim.core.ratelimit;

/**
 * What the limiter said about one request, with the buckets as they were right after.
 *
 * @param exceeded which limit refused the request; null when it was admitted
 * @param retryAfterNanos when the refused request would fit (0 when admitted)
 * @param reservedTokens tokens taken for the request (input plus requested output)
 * @param requests the request bucket; null when requests are not limited
 * @param tokens the token bucket; null when tokens are not limited
 */
public record RateLimitDecision(Exceeded exceeded, long retryAfterNanos, long reservedTokens,
    BucketState requests, BucketState tokens) {

  public enum Exceeded { REQUESTS, TOKENS }

  /**
   * @param limit the per-minute limit
   * @param remaining what is left now
   * @param resetNanos until the bucket is full again
   */
  public record BucketState(long limit, long remaining, long resetNanos) {}

  public boolean admitted() {
    return exceeded == null;
  }
}
