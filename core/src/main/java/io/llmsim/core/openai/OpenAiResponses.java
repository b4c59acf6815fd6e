package io.llmsim.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Choice;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.Synthesis;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.synth.Synthesizer;
import io.llmsim.core.tokens.PromptTokens;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code POST /v1/responses} in synthesize mode: parses the body, synthesizes one answer with the
 * chat {@link Synthesizer}, and plans either the finished Response object at the completion time
 * or the event stream. The prompt is counted as chat counts it, instructions included. Thread-safe
 * and pure.
 */
public final class OpenAiResponses {
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String JSON = "application/json";

  private final SynthesisSettings settings;
  private final Synthesizer synthesizer = new Synthesizer();

  public OpenAiResponses(SynthesisSettings settings) {
    this.settings = settings;
  }

  /** @throws io.llmsim.core.error.ApiException for a request OpenAI would refuse */
  public ResponsePlan synthesize(JsonNode body, RequestOptions options, long nowEpochSeconds) {
    ResponsesRequest request = OpenAiResponsesParser.parse(body);
    ChatRequest chat = request.chat();
    OpenAiRun run = OpenAiRun.resolve(settings, chat.model(), options, chat.seed());
    Tokenizer tokenizer = Tokenizer.forModel(chat.model());
    int promptTokens = PromptTokens.openAiChat(chat, tokenizer);
    Synthesis synthesis =
        synthesizer.synthesize(
            chat, promptTokens, run.profile(), settings.generator(), tokenizer, run.seed());

    SplittableRandom ids = run.ids();
    String responseId = ResponseEnvelope.id("resp_", ids);
    Choice answer = OpenAiResponseRenderer.answer(synthesis);
    List<String> itemIds = new ArrayList<>();
    if (answer.isToolCall()) {
      for (int i = 0; i < answer.toolCalls().size(); i++) {
        itemIds.add(ResponseEnvelope.id("fc_", ids));
      }
    } else {
      itemIds.add(ResponseEnvelope.id("msg_", ids));
    }
    long doneAt = run.speed().scale(synthesis.completionNanos());
    ResponseEnvelope envelope =
        new ResponseEnvelope(
            responseId, nowEpochSeconds, nowEpochSeconds + doneAt / 1_000_000_000L,
            OpenAiModels.resolve(chat.model()), itemIds);
    String requestId = OpenAiHeaders.requestId(ids);
    int tokensRequested =
        promptTokens + (chat.maxTokens() == null ? 0 : chat.maxTokens());

    if (chat.stream()) {
      // The stream opens on arrival: response.created goes out before the model starts.
      return new ResponsePlan(
          200,
          OpenAiHeaders.answer(SSE, requestId, 0, tokensRequested),
          true,
          0,
          new OpenAiResponseStream(
              envelope, request, synthesis, chat.includeObfuscation() ? ids.split() : null,
              run.speed()));
    }
    return ResponsePlan.of(
        200,
        OpenAiHeaders.answer(JSON, requestId, doneAt / 1_000_000, tokensRequested),
        OpenAiResponseRenderer.body(envelope, request, synthesis),
        doneAt);
  }
}
