package io.llmsim.core.latency.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmsim.core.latency.Distribution;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Maximum-likelihood fits recover known parameters, and AIC names the family the data came from. */
class DistributionFitterTest {
  private static double[] draw(Distribution d, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = d.sample(random);
    }
    return xs;
  }

  @Test
  void lognormalDataFitsLognormalWithinFivePercent() {
    DistributionFit fit = DistributionFitter.fit(draw(new Distribution.LogNormal(6.4, 0.7), 2000, 1));
    assertThat(fit.chosen().family()).isEqualTo("lognormal");
    Distribution.LogNormal d = (Distribution.LogNormal) fit.distribution();
    assertThat(d.mu()).isCloseTo(6.4, within(6.4 * 0.05));
    assertThat(d.sigma()).isCloseTo(0.7, within(0.7 * 0.05));
    assertThat(fit.candidates()).extracting(Candidate::family)
        .containsExactlyInAnyOrder("lognormal", "gamma", "normal");
    assertThat(fit.flags()).isEmpty();
    assertThat(fit.chosen().ks()).isLessThan(0.03);
  }

  @Test
  void gammaDataFitsGammaWithinFivePercent() {
    for (double shape : new double[] {0.8, 3, 12}) {
      DistributionFit fit =
          DistributionFitter.fit(draw(new Distribution.Gamma(shape, 25), 4000, 2));
      assertThat(fit.chosen().family()).as("shape %s", shape).isEqualTo("gamma");
      Distribution.Gamma d = (Distribution.Gamma) fit.distribution();
      assertThat(d.shape()).as("shape").isCloseTo(shape, within(shape * 0.05));
      assertThat(d.scale()).as("scale").isCloseTo(25, within(25 * 0.05));
    }
  }

  @Test
  void normalDataFitsNormal() {
    DistributionFit fit = DistributionFitter.fit(draw(new Distribution.Normal(200, 20), 3000, 3));
    assertThat(fit.chosen().family()).isEqualTo("normal");
    Distribution.Normal d = (Distribution.Normal) fit.distribution();
    assertThat(d.mean()).isCloseTo(200, within(2.0));
    assertThat(d.stddev()).isCloseTo(20, within(1.0));
  }

  @Test
  void fittedParametersAreRoundedToSixSignificantDigits() {
    DistributionFit fit = DistributionFitter.fit(draw(new Distribution.LogNormal(3, 0.4), 500, 4));
    Distribution.LogNormal d = (Distribution.LogNormal) fit.distribution();
    assertThat(d.mu()).isEqualTo(Quantiles.round(d.mu()));
    assertThat(Double.toString(d.sigma()).replace("0.", "").length()).isLessThanOrEqualTo(6);
  }

  @Test
  void fewSamplesAreFlagged() {
    DistributionFit fit = DistributionFitter.fit(draw(new Distribution.LogNormal(3, 0.4), 12, 5));
    assertThat(fit.flags()).containsExactly(FitFlag.FEW_SAMPLES);
    assertThat(fit.samples()).isEqualTo(12);
  }

  @Test
  void aPoorFitIsFlaggedAndTheEmpiricalQuantilesAreWritten() {
    // Two far-apart modes: no unimodal family comes close.
    double[] xs = new double[2000];
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (i % 2 == 0 ? 10 : 500) + random.nextDouble();
    }
    DistributionFit fit = DistributionFitter.fit(xs);
    assertThat(fit.flags()).containsExactly(FitFlag.POOR_FIT);
    assertThat(fit.chosen().family()).isEqualTo("empirical");
    assertThat(fit.distribution()).isEqualTo(fit.empirical());
    assertThat(fit.chosen().ks()).isLessThan(fit.candidates().get(0).ks());
  }

  @Test
  void zeroGapsFromBatchedEventsDoNotBreakTheFit() {
    double[] xs = draw(new Distribution.LogNormal(2.5, 0.5), 1000, 7);
    for (int i = 0; i < xs.length; i += 3) {
      xs[i] = 0; // a third of the events arrived in the same network read as the one before
    }
    DistributionFit fit = DistributionFitter.fit(xs);
    assertThat(fit.flags()).contains(FitFlag.POOR_FIT);
    assertThat(fit.distribution().quantile(0.2)).isZero();
  }

  @Test
  void mostlyOneWholeNumberBecomesAConstantWhenAsked() {
    double[] xs = new double[100];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i < 93 ? 1 : 2;
    }
    assertThat(DistributionFitter.fit(xs, 0.9).distribution()).isEqualTo(Distribution.constant(1));
    assertThat(DistributionFitter.fit(xs).distribution()).isNotInstanceOf(Distribution.Constant.class);
    assertThat(DistributionFitter.fit(new double[] {7, 7, 7}).distribution())
        .isEqualTo(Distribution.constant(7));
  }
}
