package io.llmsim.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmsim.core.api.FuzzBodies;
import io.llmsim.core.api.InvalidJsonException;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;

/**
 * Fuzzes the OpenAI request parsers with request bodies: each either returns a request or refuses
 * the body with the project's typed 400 ({@link InvalidJsonException} for bytes that are not JSON,
 * {@link ApiException} for JSON OpenAI would refuse). Any other exception is a finding. Saved
 * inputs: {@code OpenAiParsersFuzzTestInputs/<method>/}; see docs/reliability.md.
 */
class OpenAiParsersFuzzTest {
  private static final OpenAiEmbeddings EMBEDDINGS =
      new OpenAiEmbeddings(SynthesisSettings.defaults());

  @FuzzTest(maxDuration = "5m")
  void chatCompletions(byte[] body) {
    try {
      assertThat(OpenAiChatParser.parse(FuzzBodies.json(body))).isNotNull();
    } catch (ApiException | InvalidJsonException refused) {
      // a 400 in OpenAI's shape
    }
  }

  @FuzzTest(maxDuration = "5m")
  void responses(byte[] body) {
    try {
      assertThat(OpenAiResponsesParser.parse(FuzzBodies.json(body))).isNotNull();
    } catch (ApiException | InvalidJsonException refused) {
      // a 400 in OpenAI's shape
    }
  }

  @FuzzTest(maxDuration = "5m")
  void completions(byte[] body) {
    try {
      assertThat(OpenAiCompletionParser.parse(FuzzBodies.json(body))).isNotNull();
    } catch (ApiException | InvalidJsonException refused) {
      // a 400 in OpenAI's shape
    }
  }

  /** Embeddings have no separate parser: the whole (pure, one-frame) answer is built and read. */
  @FuzzTest(maxDuration = "5m")
  void embeddings(byte[] body) {
    ResponsePlan plan;
    try {
      plan = EMBEDDINGS.create(FuzzBodies.json(body), RequestOptions.NONE);
    } catch (ApiException | InvalidJsonException refused) {
      return; // a 400 in OpenAI's shape
    }
    assertThat(plan.status()).isEqualTo(200);
    FrameSource frames = plan.frames();
    for (Frame frame = frames.next(); frame != null; frame = frames.next()) {
      assertThat(frame.bytes()).isNotEmpty();
    }
  }
}
