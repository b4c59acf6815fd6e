package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.Distribution;

/**
 * Kolmogorov–Smirnov statistics: the largest distance between two cumulative distribution
 * functions. Ties (integer-valued samples such as token counts) are handled by comparing at each
 * distinct value on both sides of its jump.
 */
public final class KolmogorovSmirnov {
  /** The two-sample statistic D and its asymptotic p-value. */
  public record TwoSample(double statistic, double pValue) {}

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

  /** The two-sample test of sorted samples {@code a} and {@code b}. */
  public static TwoSample twoSample(double[] a, double[] b) {
    int n = a.length;
    int m = b.length;
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < n && j < m) {
      double x = Math.min(a[i], b[j]);
      while (i < n && a[i] == x) {
        i++;
      }
      while (j < m && b[j] == x) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / n - (double) j / m));
    }
    double en = Math.sqrt((double) n * m / (n + m));
    return new TwoSample(d, kolmogorovQ((en + 0.12 + 0.11 / en) * d));
  }

  /**
   * The distance above which a one-sample statistic of {@code n} values is rejected at the 1%
   * level (asymptotic, 1.628/√n). With parameters estimated from the same sample the true critical
   * value is smaller, so this errs towards calling a fit good.
   */
  public static double criticalValue01(int n) {
    return 1.628 / Math.sqrt(n);
  }

  /** Q(λ) = 2 Σ (−1)^(j−1) exp(−2 j² λ²), the Kolmogorov distribution's upper tail. */
  static double kolmogorovQ(double lambda) {
    if (lambda < 0.2) {
      return 1;
    }
    double sum = 0;
    double sign = 1;
    for (int j = 1; j <= 100; j++) {
      double term = sign * Math.exp(-2 * j * j * lambda * lambda);
      sum += term;
      if (Math.abs(term) < 1e-12 * Math.abs(sum)) {
        break;
      }
      sign = -sign;
    }
    return Math.max(0, Math.min(1, 2 * sum));
  }
}
