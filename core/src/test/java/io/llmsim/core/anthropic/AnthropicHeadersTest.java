package io.llmsim.core.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reset times and rate-limit headers, whose names and formatted times are reused. */
class AnthropicHeadersTest {
  @Test
  void resetTimesAreRightWhateverSecondCameBefore() {
    assertThat(AnthropicHeaders.rfc3339(1_767_225_600L)).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(AnthropicHeaders.rfc3339(1_767_225_601L)).isEqualTo("2026-01-01T00:00:01Z");
    assertThat(AnthropicHeaders.rfc3339(1_767_225_600L)).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(AnthropicHeaders.rfc3339(1_767_225_600L)).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void everyBucketHasItsLimitRemainingAndReset() {
    Map<String, String> headers = new LinkedHashMap<>();
    AnthropicHeaders.answer("application/json", "req_1", 1_767_225_600L, 1_500, 1_024)
        .forEach(h -> headers.put(h.getKey(), h.getValue()));
    assertThat(headers)
        .containsEntry("anthropic-ratelimit-input-tokens-limit", "2000000")
        .containsEntry("anthropic-ratelimit-input-tokens-remaining", "1999000")
        .containsEntry("anthropic-ratelimit-input-tokens-reset", "2026-01-01T00:00:01Z")
        .containsEntry("anthropic-ratelimit-output-tokens-limit", "400000")
        .containsEntry("anthropic-ratelimit-output-tokens-remaining", "399000")
        .containsEntry("anthropic-ratelimit-requests-limit", "4000")
        .containsEntry("anthropic-ratelimit-requests-remaining", "3999")
        .containsEntry("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:01Z")
        .containsEntry("anthropic-ratelimit-tokens-limit", "2400000")
        .containsEntry("anthropic-ratelimit-tokens-remaining", "2397000");
  }
}
