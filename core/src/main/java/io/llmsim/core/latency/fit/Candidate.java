package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.Distribution;

/**
 * One distribution fitted to a sample, with what it takes to compare it to the others.
 *
 * @param family {@code lognormal}, {@code gamma}, {@code normal}, {@code constant} or
 *     {@code empirical}
 * @param distribution the fitted distribution, parameters as written to a profiles file
 * @param logLikelihood the log-likelihood at the maximum; NaN for the non-parametric forms
 * @param parameters the number of free parameters
 * @param ks the Kolmogorov–Smirnov distance between the sample and {@code distribution}
 */
public record Candidate(
    String family, Distribution distribution, double logLikelihood, int parameters, double ks) {

  /** Akaike's information criterion, 2k − 2 ln L: lower is better; NaN when not parametric. */
  public double aic() {
    return 2.0 * parameters - 2 * logLikelihood;
  }
}
