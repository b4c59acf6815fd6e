package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.Distribution;

/**
 * Kolmogorov–Smirnov statistics: the largest distance between two cumulative distribution
 * functions. Computed here rather than by Commons Statistics' one-sample test because it must
 * compare samples with ties (integer token counts) against step CDFs (constant and empirical
 * profiles) on both sides of each jump. Tests that compare two samples use Commons Statistics'
 * two-sample test directly.
 */
public final class KolmogorovSmirnov {
  private KolmogorovSmirnov() {}

  /** sup |F_n(x) − F(x)| for a sorted sample against a distribution. */
  public static double statistic(double[] sorted, Distribution distribution) {
    int n = sorted.length;
    double d = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && sorted[j] == sorted[i]) {
        j++;
      }
      // Below the value compare with the CDF's left limit: a constant or an empirical distribution
      // jumps there, as the sample does.
      double at = distribution.cdf(sorted[i]);
      double below = distribution.cdf(Math.nextDown(sorted[i]));
      d = Math.max(d, Math.max(Math.abs(at - (double) j / n), Math.abs(below - (double) i / n)));
      i = j;
    }
    return d;
  }

  /**
   * The distance above which a one-sample statistic of {@code n} values is rejected at the 1%
   * level (asymptotic, 1.628/√n). With parameters estimated from the same sample the true critical
   * value is smaller, so this errs towards calling a fit good.
   */
  public static double criticalValue01(int n) {
    return 1.628 / Math.sqrt(n);
  }
}
