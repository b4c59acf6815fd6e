package io.llmsim.core.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reference values from normal tables; the quantile inverts the CDF. */
class StandardNormalTest {
  @Test
  void cdfMatchesTables() {
    assertThat(StandardNormal.cdf(0)).isEqualTo(0.5);
    assertThat(StandardNormal.cdf(1.959963984540054)).isCloseTo(0.975, within(1e-14));
    assertThat(StandardNormal.cdf(-1)).isCloseTo(0.15865525393145707, within(1e-14));
    assertThat(StandardNormal.cdf(-10)).isCloseTo(7.619853024160527e-24, within(1e-36));
  }

  @Test
  void quantileInvertsTheCdfIncludingTheTails() {
    for (double p : new double[] {1e-12, 1e-6, 0.01, 0.3, 0.5, 0.9, 0.999, 1 - 1e-9}) {
      assertThat(StandardNormal.cdf(StandardNormal.quantile(p))).isCloseTo(p, within(p * 1e-12));
    }
    assertThat(StandardNormal.quantile(0)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(StandardNormal.quantile(1)).isEqualTo(Double.POSITIVE_INFINITY);
  }
}
