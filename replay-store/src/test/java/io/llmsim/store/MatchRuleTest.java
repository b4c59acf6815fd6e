package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchRuleTest {
  private static String last(String json) {
    return MatchRule.lastUserMessage(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theLastUserMessageIsFoundInEveryProvidersShape() {
    assertThat(last("{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
        + "{\"role\":\"assistant\",\"content\":\"x\"},{\"role\":\"user\",\"content\":\"last\"}]}"))
        .isEqualTo("last");
    assertThat(last("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"anthropic \"},{\"type\":\"text\",\"text\":\"blocks\"}]}]}"))
        .isEqualTo("anthropic blocks");
    assertThat(last("{\"input\":\"responses text\"}")).isEqualTo("responses text");
    assertThat(last("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"gemini\"}]},"
        + "{\"role\":\"model\",\"parts\":[{\"text\":\"no\"}]}]}")).isEqualTo("gemini");
    assertThat(last("{\"prompt\":\"legacy\"}")).isEqualTo("legacy");
    assertThat(last("{\"model\":\"x\"}")).isEmpty();
  }

  @Test
  void keysAgreeWhereTheRuleSaysTheyShould() {
    byte[] a = "{\"model\":\"m\",\"temperature\":0.2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] b = "{\"model\":\"m\",\"temperature\":0.9,\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    MatchRule loose = MatchRule.loose();
    assertThat(loose.key(null, "POST /v1/chat/completions", "m", a))
        .isEqualTo(loose.key(null, "POST /v1/chat/completions", "m", b))
        .isNotEqualTo(loose.key("suite", "POST /v1/chat/completions", "m", b))
        .isNotEqualTo(loose.key(null, "POST /v1/chat/completions", "other", b));
    MatchRule noTemperature = MatchRule.ignoring(List.of("/temperature"));
    byte[] c = "{\"model\":\"m\",\"temperature\":0.9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(noTemperature.key(null, "E", "m", a)).isEqualTo(noTemperature.key(null, "E", "m", c));
    assertThat(noTemperature.key(null, "E", "m", a)).isNotEqualTo(noTemperature.key(null, "E", "m", b));
  }
}
