package io.llmsim.core.ratelimit;

/**
 * The limits of one API key on one model, per minute; 0 leaves that one unlimited.
 *
 * @param requestsPerMinute requests admitted per minute (RPM)
 * @param tokensPerMinute input tokens plus requested output admitted per minute (TPM)
 */
public record RateLimit(long requestsPerMinute, long tokensPerMinute) {
  public RateLimit {
    if (requestsPerMinute < 0 || tokensPerMinute < 0) {
      throw new IllegalArgumentException("rpm and tpm must be 0 (no limit) or more, got rpm "
          + requestsPerMinute + ", tpm " + tokensPerMinute);
    }
  }

  public boolean unlimited() {
    return requestsPerMinute == 0 && tokensPerMinute == 0;
  }
}
