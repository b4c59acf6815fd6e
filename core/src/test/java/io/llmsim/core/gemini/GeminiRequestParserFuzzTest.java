package io.llmsim.core.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmsim.core.api.FuzzBodies;
import io.llmsim.core.api.InvalidJsonException;
import io.llmsim.core.error.ApiException;

/**
 * Fuzzes the Gemini request parser with request bodies, for {@code generateContent} and for
 * {@code countTokens}: it either returns a request or refuses the body with the project's typed
 * 400. Any other exception is a finding. Saved inputs:
 * {@code GeminiRequestParserFuzzTestInputs/<method>/}; see docs/reliability.md.
 */
class GeminiRequestParserFuzzTest {
  private static final String MODEL = "gemini-2.5-flash";

  @FuzzTest(maxDuration = "5m")
  void generateContent(byte[] body) {
    try {
      assertThat(GeminiRequestParser.parse(FuzzBodies.json(body), MODEL, true, 65_536))
          .isNotNull();
    } catch (ApiException | InvalidJsonException refused) {
      // a 400 in Gemini's shape
    }
  }

  @FuzzTest(maxDuration = "5m")
  void countTokens(byte[] body) {
    try {
      assertThat(GeminiRequestParser.parseCountTokens(FuzzBodies.json(body), MODEL)).isNotNull();
    } catch (ApiException | InvalidJsonException refused) {
      // a 400 in Gemini's shape
    }
  }
}
