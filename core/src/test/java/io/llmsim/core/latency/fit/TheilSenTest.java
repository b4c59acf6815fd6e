package io.llmsim.core.latency.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TheilSenTest {
  @Test
  void recoversTheSlopeDespiteOutliers() {
    SplittableRandom random = new SplittableRandom(11);
    int n = 3000; // 4.5 million pairs: the subsampled path
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble(0, 20); // prompt size in thousands of tokens
      y[i] = 400 + 35 * x[i] + random.nextGaussian() * 60;
      if (i % 10 == 0) {
        y[i] += 5000 + random.nextDouble() * 10_000; // a cold start or a queued request
      }
    }
    TheilSen.Line line = TheilSen.fit(x, y);
    assertThat(line.slope()).isCloseTo(35, within(35 * 0.05));
    assertThat(line.pairs()).isGreaterThan(190_000);
    // Least squares is dragged far off by the same points.
    assertThat(Math.abs(leastSquaresSlope(x, y) - 35)).isGreaterThan(Math.abs(line.slope() - 35));
  }

  @Test
  void smallSamplesUseEveryPairAndAreExact() {
    double[] x = {1, 2, 3, 4, 5};
    double[] y = {12, 14, 16, 18, 1000};
    TheilSen.Line line = TheilSen.fit(x, y);
    assertThat(line.pairs()).isEqualTo(10);
    assertThat(line.slope()).isEqualTo(2);
    assertThat(line.intercept()).isEqualTo(10);
  }

  @Test
  void noSpreadInXGivesNoSlope() {
    TheilSen.Line line = TheilSen.fit(new double[] {2, 2, 2}, new double[] {5, 6, 7});
    assertThat(line.slope()).isZero();
    assertThat(line.pairs()).isZero();
    assertThat(line.intercept()).isEqualTo(6);
  }

  private static double leastSquaresSlope(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }
}
