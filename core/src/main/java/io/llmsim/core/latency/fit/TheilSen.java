package io.llmsim.core.latency.fit;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Theil–Sen regression: the slope is the median of the slopes through pairs of points, so up to
 * about 29% of wild points (a cold start, a retried request) cannot drag it. Above
 * {@code maxPairs} pairs it uses that many pairs drawn at random with a fixed seed, so the result
 * stays deterministic and the cost bounded.
 */
public final class TheilSen {
  /** Pairs used at most; 200,000 slopes give a median good to well under a percent. */
  public static final int DEFAULT_MAX_PAIRS = 200_000;

  /**
   * A fitted line {@code y = intercept + slope · x}.
   *
   * @param pairs how many pairs the slope's median was taken over; 0 when x never varied
   */
  public record Line(double slope, double intercept, int pairs) {}

  private TheilSen() {}

  public static Line fit(double[] x, double[] y) {
    return fit(x, y, DEFAULT_MAX_PAIRS, 0x7E11_5E11L);
  }

  public static Line fit(double[] x, double[] y, int maxPairs, long seed) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length");
    }
    int n = x.length;
    long allPairs = (long) n * (n - 1) / 2;
    double[] slopes;
    int count = 0;
    if (allPairs <= maxPairs) {
      slopes = new double[(int) allPairs];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if (x[i] != x[j]) {
            slopes[count++] = (y[j] - y[i]) / (x[j] - x[i]);
          }
        }
      }
    } else {
      slopes = new double[maxPairs];
      SplittableRandom random = new SplittableRandom(seed);
      for (int k = 0; k < maxPairs; k++) {
        int i = random.nextInt(n);
        int j = random.nextInt(n);
        if (x[i] != x[j]) {
          slopes[count++] = (y[j] - y[i]) / (x[j] - x[i]);
        }
      }
    }
    if (count == 0) {
      return new Line(0, n == 0 ? 0 : Quantiles.of(Quantiles.sorted(y), 0.5), 0);
    }
    double[] used = Arrays.copyOf(slopes, count);
    Arrays.sort(used);
    double slope = Quantiles.of(used, 0.5);
    double[] residuals = new double[n];
    for (int i = 0; i < n; i++) {
      residuals[i] = y[i] - slope * x[i];
    }
    Arrays.sort(residuals);
    return new Line(slope, Quantiles.of(residuals, 0.5), count);
  }
}
