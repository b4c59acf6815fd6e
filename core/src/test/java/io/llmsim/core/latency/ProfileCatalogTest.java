package io.llmsim.core.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProfileCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void mapsModelFamiliesToBuiltInProfiles() {
    ProfileCatalog c = ProfileCatalog.builtIn();
    assertThat(c.forModel("gpt-4o").name()).isEqualTo("openai-gpt-4o");
    assertThat(c.forModel("gpt-4o-mini-2024-07-18").name()).isEqualTo("openai-mini");
    assertThat(c.forModel("o3-mini").name()).isEqualTo("openai-reasoning");
    assertThat(c.forModel("claude-3-5-haiku-latest").name()).isEqualTo("anthropic-haiku");
    assertThat(c.forModel("claude-sonnet-4-5").name()).isEqualTo("anthropic-sonnet");
    assertThat(c.forModel("gemini-2.5-flash").name()).isEqualTo("gemini-flash");
    assertThat(c.forModel("my-local-model").name()).isEqualTo(ProfileCatalog.DEFAULT_PROFILE);
    assertThat(c.require("instant").ttft().quantile(0.99)).isZero();
  }

  @Test
  void profilesFileAddsProfilesAndMappingsThatWinOverBuiltIns() throws Exception {
    ProfileCatalog c = ProfileCatalog.builtIn().with(JSON.readTree("""
        {"profiles": {"slow": {"ttft": {"type": "constant", "value": 2000},
                               "itl": {"type": "constant", "value": 50},
                               "prefill-ms-per-1k-tokens": 10}},
         "models": {"gpt-4o*": "slow"},
         "default": "fast"}
        """));
    assertThat(c.forModel("gpt-4o-mini").name()).isEqualTo("slow");
    assertThat(c.forModel("gpt-5").name()).isEqualTo("openai-gpt-4o");
    assertThat(c.forModel("unknown").name()).isEqualTo("fast");
    LatencyProfile slow = c.require("slow");
    assertThat(slow.drawTtftNanos(1000, new java.util.SplittableRandom(1)))
        .isEqualTo(2_010_000_000L);
    assertThat(LatencyProfile.fromJson("slow", slow.toJson())).isEqualTo(slow);
  }

  @Test
  void profilesFileErrorsNameTheKey() throws Exception {
    assertThatThrownBy(() -> ProfileCatalog.builtIn().with(JSON.readTree(
            "{\"models\": {\"x*\": \"missing\"}}")))
        .hasMessageContaining("models.x*").hasMessageContaining("missing");
    assertThatThrownBy(() -> ProfileCatalog.builtIn().with(JSON.readTree(
            "{\"profiles\": {\"p\": {\"ttft\": {\"type\":\"constant\",\"value\":1}}}}")))
        .hasMessageContaining("profiles.p");
    assertThatThrownBy(() -> ProfileCatalog.builtIn().with(JSON.readTree("{\"profile\": {}}")))
        .hasMessageContaining("'profile'");
    assertThatThrownBy(() -> ProfileCatalog.builtIn().require("nope"))
        .hasMessageContaining("'nope'").hasMessageContaining("instant");
  }

  @Test
  void fitMetadataIsAcceptedAndIgnored() throws Exception {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(JSON.readTree(
        "{\"profiles\": {\"p\": {\"ttft\": {\"type\": \"gamma\", \"shape\": 3, \"scale\": 100},"
            + " \"itl\": {\"type\": \"constant\", \"value\": 10},"
            + " \"fit\": {\"exchanges\": 2000, \"ttft\": {\"ks\": 0.01, \"flags\": []}}}}}"));
    LatencyProfile p = catalog.require("p");
    assertThat(p.ttft()).isEqualTo(new Distribution.Gamma(3, 100));
    assertThat(LatencyProfile.fromJson("p", p.toJson())).isEqualTo(p);
  }
}
