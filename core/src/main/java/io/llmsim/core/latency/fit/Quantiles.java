package io.llmsim.core.latency.fit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/** Sample quantiles and the rounding that keeps fitted numbers readable. */
public final class Quantiles {
  private static final MathContext SIGNIFICANT = new MathContext(6);

  private Quantiles() {}

  /** A sorted copy. */
  public static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  /**
   * The {@code p} quantile of sorted values, interpolating linearly between order statistics (the
   * "type 7" definition of R and NumPy's default).
   */
  public static double of(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * {@code x} rounded to six significant digits. Fitted parameters are written this way: precise
   * far beyond what the samples support, short enough to read, and exact on reading back.
   */
  public static double round(double x) {
    if (x == 0 || !Double.isFinite(x)) {
      return x;
    }
    return new BigDecimal(x).round(SIGNIFICANT).doubleValue();
  }
}
