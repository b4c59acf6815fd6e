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
}
