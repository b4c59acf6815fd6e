package io.llmsim.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.Synthesis;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.synth.Synthesizer;
import io.llmsim.core.tokens.PromptTokens;
import io.llmsim.core.tokens.Tokenizer;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/chat/completions} in synthesize mode: parses the body, synthesizes an answer and
 * turns it into a {@link ResponsePlan} — one JSON body at the completion time, or a stream of chunks
 * at their drawn offsets. Thread-safe; pure (no I/O), so every answer can be tested without sockets.
 */
public final class OpenAiChatCompletions {
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String JSON = "application/json";

  private final SynthesisSettings settings;
  private final Synthesizer synthesizer = new Synthesizer();

  public OpenAiChatCompletions(SynthesisSettings settings) {
    this.settings = settings;
  }

  /**
   * @throws io.llmsim.core.error.ApiException for a request OpenAI would refuse
   * @throws IllegalArgumentException when {@code options} names an unknown profile
   */
  public ResponsePlan synthesize(JsonNode body, RequestOptions options, long nowEpochSeconds) {
    ChatRequest request = OpenAiChatParser.parse(body);
    LatencyProfile profile = settings.profileFor(request.model(), options.profile());
    Speed speed = options.speed() != null ? options.speed() : settings.speed();
    long seed =
        options.seed() != null
            ? options.seed()
            : request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong();

    Tokenizer tokenizer = Tokenizer.forModel(request.model());
    int promptTokens = PromptTokens.openAiChat(request, tokenizer);
    Synthesis synthesis =
        synthesizer.synthesize(
            request, promptTokens, profile, settings.generator(), tokenizer, seed);

    // Ids and padding come from their own stream of the same seed: stable, and independent of text.
    SplittableRandom ids = new SplittableRandom(seed ^ 0x5DEECE66DL);
    ChatEnvelope envelope =
        new ChatEnvelope(
            "chatcmpl-" + Synthesizer.randomId(29, ids),
            nowEpochSeconds,
            OpenAiModels.resolve(request.model()),
            "fp_" + OpenAiHeaders.requestId(ids).substring(4, 14));
    String requestId = OpenAiHeaders.requestId(ids);
    int tokensRequested =
        promptTokens + (request.maxTokens() == null ? 0 : request.maxTokens() * request.n());

    if (request.stream()) {
      long headersAt = speed.scale(synthesis.offset(0));
      return new ResponsePlan(
          200,
          OpenAiHeaders.answer(SSE, requestId, headersAt / 1_000_000, tokensRequested),
          true,
          headersAt,
          new OpenAiChatStream(
              envelope, synthesis, request.includeUsage(),
              request.includeObfuscation() ? ids.split() : null, speed));
    }
    long doneAt = speed.scale(synthesis.completionNanos());
    return ResponsePlan.of(
        200,
        OpenAiHeaders.answer(JSON, requestId, doneAt / 1_000_000, tokensRequested),
        OpenAiChatRenderer.completion(envelope, synthesis),
        doneAt);
  }
}
