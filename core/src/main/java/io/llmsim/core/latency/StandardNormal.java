package io.llmsim.core.latency;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.InverseErfc;

/** Φ and Φ⁻¹ of the standard normal, through Commons Numbers' complementary error function. */
final class StandardNormal {
  private static final double SQRT2 = Math.sqrt(2);

  private StandardNormal() {}

  /** Φ(z) = erfc(−z/√2) / 2, accurate in both tails (no 1 − x cancellation). */
  static double cdf(double z) {
    return 0.5 * Erfc.value(-z / SQRT2);
  }

  /** Φ⁻¹(p) = −√2 · erfc⁻¹(2p); −∞ at 0 and +∞ at 1. */
  static double quantile(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    return -SQRT2 * InverseErfc.value(2 * p);
  }
}
