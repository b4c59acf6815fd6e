package io.llmsim.core.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values from closed forms (Γ(n) = (n−1)!, ψ(1) = −γ, ψ₁(1) = π²/6, erf). */
class SpecialFunctionsTest {
  private static final double EULER_GAMMA = 0.5772156649015329;

  @Test
  void lnGammaMatchesFactorialsAndHalfIntegers() {
    assertThat(SpecialFunctions.lnGamma(1)).isCloseTo(0, within(1e-14));
    assertThat(SpecialFunctions.lnGamma(5)).isCloseTo(Math.log(24), within(1e-13));
    assertThat(SpecialFunctions.lnGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
    assertThat(SpecialFunctions.lnGamma(101)).isCloseTo(363.73937555556347, within(1e-9));
    assertThat(SpecialFunctions.lnGamma(0.1)).isCloseTo(2.252712651734206, within(1e-12));
  }

  @Test
  void digammaAndTrigammaMatchKnownValues() {
    assertThat(SpecialFunctions.digamma(1)).isCloseTo(-EULER_GAMMA, within(1e-12));
    assertThat(SpecialFunctions.digamma(0.5))
        .isCloseTo(-EULER_GAMMA - 2 * Math.log(2), within(1e-12));
    assertThat(SpecialFunctions.digamma(10)).isCloseTo(2.251752589066721, within(1e-12));
    assertThat(SpecialFunctions.trigamma(1)).isCloseTo(Math.PI * Math.PI / 6, within(1e-11));
    assertThat(SpecialFunctions.trigamma(0.5)).isCloseTo(Math.PI * Math.PI / 2, within(1e-10));
  }

  @Test
  void incompleteGammaMatchesClosedForms() {
    for (double x : new double[] {0.01, 0.5, 1, 3, 10, 40}) {
      // Shape 1 is the exponential distribution; shape 2 is 1 − e^−x (1 + x).
      assertThat(SpecialFunctions.regularizedGammaP(1, x)).isCloseTo(1 - Math.exp(-x), within(1e-13));
      assertThat(SpecialFunctions.regularizedGammaP(2, x))
          .isCloseTo(1 - Math.exp(-x) * (1 + x), within(1e-13));
    }
    assertThat(SpecialFunctions.regularizedGammaP(3, 0)).isZero();
  }

  @Test
  void normalCdfMatchesTablesAndTheQuantile() {
    assertThat(SpecialFunctions.normalCdf(0)).isEqualTo(0.5);
    assertThat(SpecialFunctions.normalCdf(1.959963984540054)).isCloseTo(0.975, within(1e-12));
    assertThat(SpecialFunctions.normalCdf(-1)).isCloseTo(0.15865525393145707, within(1e-12));
    for (double p : new double[] {1e-6, 0.01, 0.3, 0.5, 0.9, 0.999}) {
      assertThat(SpecialFunctions.normalCdf(SpecialFunctions.normalQuantile(p)))
          .isCloseTo(p, within(p * 1e-7)); // the quantile is Acklam's approximation
    }
  }
}
