package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.Distribution;
import java.util.List;
import java.util.Set;

/**
 * The result of fitting one quantity (TTFT, gaps, ...): the distribution chosen for the profile, the
 * candidates it was chosen from, the sample's own quantiles and what to be wary of.
 *
 * @param samples the sample size
 * @param chosen the distribution written to the profile: the AIC winner, a constant when the
 *     sample barely varies, or the empirical quantiles when every family fits poorly
 * @param candidates the parametric families tried, best AIC first (empty when none applied)
 * @param empirical the sample's quantiles as a distribution (null for fewer than two samples)
 * @param observed the sample's p50, p90 and p99
 * @param flags what to be wary of
 */
public record DistributionFit(
    int samples,
    Candidate chosen,
    List<Candidate> candidates,
    Distribution.Empirical empirical,
    double[] observed,
    Set<FitFlag> flags) {

  /** The quantiles reported for observed and fitted values. */
  public static final double[] REPORTED = {0.5, 0.9, 0.99};

  public DistributionFit {
    candidates = List.copyOf(candidates);
    observed = observed.clone();
    flags = Set.copyOf(flags);
  }

  /** The chosen distribution's p50, p90 and p99. */
  public double[] fitted() {
    double[] q = new double[REPORTED.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = chosen.distribution().quantile(REPORTED[i]);
    }
    return q;
  }

  @Override
  public double[] observed() {
    return observed.clone();
  }

  public Distribution distribution() {
    return chosen.distribution();
  }
}
