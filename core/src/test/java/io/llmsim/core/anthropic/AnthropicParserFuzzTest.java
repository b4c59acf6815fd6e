package io.llmsim.core.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmsim.core.api.FuzzBodies;
import io.llmsim.core.api.InvalidJsonException;
import io.llmsim.core.error.ApiException;

/**
 * Fuzzes the Anthropic Messages parser with request bodies, for {@code POST /v1/messages} and for
 * {@code count_tokens}: it either returns a request or refuses the body with the project's typed
 * 400. Any other exception is a finding. Saved inputs:
 * {@code AnthropicParserFuzzTestInputs/<method>/}; see docs/reliability.md.
 */
class AnthropicParserFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void messages(byte[] body) {
    parse(body, true);
  }

  @FuzzTest(maxDuration = "5m")
  void countTokens(byte[] body) {
    parse(body, false);
  }

  private static void parse(byte[] body, boolean forCreate) {
    try {
      assertThat(AnthropicParser.parse(FuzzBodies.json(body), forCreate).chat()).isNotNull();
    } catch (ApiException | InvalidJsonException refused) {
      // a 400 in Anthropic's shape
    }
  }
}
