package io.llmsim.proxy;

import io.llmsim.core.fault.FaultRules;
import io.llmsim.core.ratelimit.RateLimits;
import java.util.Objects;

/**
 * The failures the config asks for, beside those a request's header asks for.
 *
 * @param faultRules faults injected by rule (with a seed), and the faults a header may choose
 * @param rateLimits the token-bucket rate limiter's limits; {@link RateLimits#OFF} by default
 */
public record ChaosSettings(FaultRules faultRules, RateLimits rateLimits) {
  public static final ChaosSettings NONE = new ChaosSettings(FaultRules.NONE, RateLimits.OFF);

  public ChaosSettings {
    Objects.requireNonNull(faultRules, "faultRules");
    Objects.requireNonNull(rateLimits, "rateLimits");
  }
}
