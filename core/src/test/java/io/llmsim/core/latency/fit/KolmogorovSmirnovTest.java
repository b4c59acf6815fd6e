package io.llmsim.core.latency.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmsim.core.latency.Distribution;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KolmogorovSmirnovTest {
  private static double[] draw(Distribution d, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = d.sample(random);
    }
    return Quantiles.sorted(xs);
  }

  @Test
  void oneSampleDistanceIsSmallForTheTrueDistributionAndLargeForAnother() {
    Distribution truth = new Distribution.LogNormal(5, 0.5);
    double[] xs = draw(truth, 5000, 1);
    assertThat(KolmogorovSmirnov.statistic(xs, truth))
        .isLessThan(KolmogorovSmirnov.criticalValue01(xs.length));
    assertThat(KolmogorovSmirnov.statistic(xs, new Distribution.LogNormal(5.2, 0.5)))
        .isGreaterThan(0.1);
  }

  @Test
  void oneSampleDistanceOfAHandComputedCase() {
    // Uniform-like CDF through an empirical distribution on [0, 1]: sample {0.1, 0.2, 0.9}.
    Distribution uniform = new Distribution.Empirical(new double[] {0, 1}, new double[] {0, 1});
    assertThat(KolmogorovSmirnov.statistic(new double[] {0.1, 0.2, 0.9}, uniform))
        .isCloseTo(2.0 / 3 - 0.2, within(1e-12));
  }

  @Test
  void twoSampleTestAcceptsSameDistributionAndRejectsAShift() {
    Distribution a = new Distribution.Gamma(2, 30);
    // Commons Statistics' test (this class's name shadows it).
    var test = org.apache.commons.statistics.inference.KolmogorovSmirnovTest.withDefaults();
    assertThat(test.test(draw(a, 3000, 2), draw(a, 3000, 3)).getPValue()).isGreaterThan(0.01);
    assertThat(test.test(draw(a, 3000, 2), draw(new Distribution.Gamma(2, 33), 3000, 3))
        .getPValue()).isLessThan(0.01);
  }

  @Test
  void aSampleMatchingAConstantHasNoDistance() {
    assertThat(KolmogorovSmirnov.statistic(new double[] {1, 1, 1}, Distribution.constant(1)))
        .isZero();
    assertThat(KolmogorovSmirnov.statistic(new double[] {1, 1, 2, 2}, Distribution.constant(1)))
        .isEqualTo(0.5);
  }
}
