package io.llmsim.core.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static double[] samples(Distribution d, int n) {
    SplittableRandom r = new SplittableRandom(1);
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = d.sample(r);
    }
    Arrays.sort(xs);
    return xs;
  }

  @Test
  void lognormalFromMedianAndP90HasThoseQuantiles() {
    Distribution d = Distribution.lognormal(600, 1500);
    assertThat(d.quantile(0.5)).isCloseTo(600, within(1e-6));
    assertThat(d.quantile(0.9)).isCloseTo(1500, within(1e-3));
    double[] xs = samples(d, 100_000);
    assertThat(xs[50_000]).isCloseTo(600, within(15.0));
    assertThat(xs[90_000]).isCloseTo(1500, within(45.0));
  }

  @Test
  void empiricalInterpolatesBetweenQuantiles() throws Exception {
    Distribution d = Distribution.fromJson(
        JSON.readTree("{\"type\":\"empirical\",\"quantiles\":{\"0\":10,\"0.5\":20,\"1\":40}}"), "x");
    assertThat(d.quantile(0.25)).isEqualTo(15);
    assertThat(d.quantile(0.75)).isEqualTo(30);
    double[] xs = samples(d, 10_000);
    assertThat(xs[0]).isGreaterThanOrEqualTo(10);
    assertThat(xs[xs.length - 1]).isLessThanOrEqualTo(40);
  }

  @Test
  void normalIsTruncatedAtZero() {
    double[] xs = samples(new Distribution.Normal(1, 5), 10_000);
    assertThat(xs[0]).isZero();
  }

  @Test
  void configFormRoundTrips() throws Exception {
    for (String json : new String[] {
        "{\"type\":\"lognormal\",\"mu\":1.5,\"sigma\":0.25}",
        "{\"type\":\"normal\",\"mean\":20.0,\"stddev\":5.0}",
        "{\"type\":\"gamma\",\"shape\":2.5,\"scale\":240.0}",
        "{\"type\":\"constant\",\"value\":20.0}",
        "{\"type\":\"empirical\",\"quantiles\":{\"0\":1.0,\"0.5\":2.0,\"1\":9.0}}"}) {
      JsonNode node = JSON.readTree(json);
      Distribution d = Distribution.fromJson(node, "x");
      assertThat(d.toJson()).isEqualTo(node);
      assertThat(Distribution.fromJson(d.toJson(), "x")).isEqualTo(d);
    }
  }

  @Test
  void badConfigNamesThePlace() throws Exception {
    assertThatThrownBy(() -> Distribution.fromJson(JSON.readTree("{\"type\":\"gaussian\"}"), "p.ttft"))
        .hasMessageContaining("p.ttft.type").hasMessageContaining("gaussian");
    assertThatThrownBy(() -> Distribution.fromJson(
            JSON.readTree("{\"type\":\"constant\",\"value\":1,\"vlaue\":2}"), "p.itl"))
        .hasMessageContaining("p.itl").hasMessageContaining("'vlaue'");
    assertThatThrownBy(() -> Distribution.fromJson(
            JSON.readTree("{\"type\":\"lognormal\",\"median\":10,\"p90\":5}"), "p.itl"))
        .hasMessageContaining("p90");
    assertThatThrownBy(() -> Distribution.fromJson(
            JSON.readTree("{\"type\":\"constant\",\"value\":\"x\"}"), "p.itl"))
        .hasMessageContaining("p.itl.value");
  }

  @Test
  void gammaSamplesHaveTheShapeAndScaleMoments() {
    for (double shape : new double[] {0.6, 2.5, 30}) {
      Distribution d = new Distribution.Gamma(shape, 40);
      double[] xs = samples(d, 200_000);
      double mean = Arrays.stream(xs).average().orElseThrow();
      double variance = Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum() / xs.length;
      assertThat(mean).as("mean, shape %s", shape).isCloseTo(shape * 40, within(shape * 40 * 0.01));
      assertThat(variance).as("variance, shape %s", shape)
          .isCloseTo(shape * 1600, within(shape * 1600 * 0.03));
      // The sample's median agrees with the quantile function.
      assertThat(xs[100_000]).isCloseTo(d.quantile(0.5), within(d.quantile(0.5) * 0.01));
    }
  }

  @Test
  void cdfInvertsQuantileForEveryType() {
    Distribution[] all = {
      new Distribution.LogNormal(6.4, 0.7), new Distribution.Normal(50, 10),
      new Distribution.Gamma(0.2, 5), new Distribution.Gamma(0.7, 12),
      new Distribution.Gamma(3.2, 150), new Distribution.Gamma(400, 2),
      new Distribution.Empirical(new double[] {0, 0.5, 1}, new double[] {10, 20, 40})
    };
    for (Distribution d : all) {
      for (double p : new double[] {0.01, 0.1, 0.5, 0.9, 0.99}) {
        assertThat(d.cdf(d.quantile(p))).as("%s at %s", d, p).isCloseTo(p, within(1e-9));
      }
    }
    assertThat(Distribution.constant(5).cdf(4.99)).isZero();
    assertThat(Distribution.constant(5).cdf(5)).isEqualTo(1);
  }

  @Test
  void gammaConfigErrorsNameTheKey() throws Exception {
    assertThatThrownBy(() -> Distribution.fromJson(
            JSON.readTree("{\"type\":\"gamma\",\"shape\":0,\"scale\":2}"), "p.ttft"))
        .hasMessageContaining("p.ttft").hasMessageContaining("shape");
    assertThatThrownBy(() -> Distribution.fromJson(
            JSON.readTree("{\"type\":\"gamma\",\"shape\":2}"), "p.ttft"))
        .hasMessageContaining("p.ttft.scale");
  }
}
