package io.llmsim.core.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Choice;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.Synthesis;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.synth.Synthesizer;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens} in synthesize mode: parses
 * the body, synthesizes an answer and turns it into a {@link ResponsePlan} — one JSON body at the
 * completion time, or a stream of events at their drawn offsets. Thread-safe; pure (no I/O), so
 * every answer can be tested without sockets.
 */
public final class AnthropicMessages {
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String JSON = "application/json";

  private final SynthesisSettings settings;
  private final AnthropicModels models;
  private final Synthesizer synthesizer = new Synthesizer();

  public AnthropicMessages(SynthesisSettings settings, AnthropicModels models) {
    this.settings = settings;
    this.models = models;
  }

  /**
   * Answers a Messages body. Anthropic takes no seed in the body: the
   * {@code x-simulation-mode} seed, when given, fixes text, timing and ids.
   *
   * @throws ApiException for a request Anthropic would refuse
   */
  public ResponsePlan create(JsonNode body, RequestOptions options, long nowEpochSeconds) {
    AnthropicParser.Parsed parsed = AnthropicParser.parse(body, true);
    ChatRequest request = parsed.chat();
    AnthropicModels.Model known = models.find(request.model());
    if (known != null && known.maxOutputTokens() > 0
        && request.maxTokens() > known.maxOutputTokens()) {
      throw AnthropicParser.invalid(
          "max_tokens: " + request.maxTokens() + " > " + known.maxOutputTokens()
              + ", which is the maximum allowed number of output tokens for " + known.id());
    }
    LatencyProfile profile = settings.profileFor(request.model(), options.profile());
    Speed speed = options.speed() != null ? options.speed() : settings.speed();
    long seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();

    Tokenizer tokenizer = Tokenizer.forModel(request.model());
    int inputTokens = AnthropicTokens.input(parsed, tokenizer);
    Synthesis synthesis =
        synthesizer.synthesize(request, inputTokens, profile, settings.generator(), tokenizer,
            seed);
    Choice choice = synthesis.choices().get(0);

    // Ids come from their own stream of the same seed: stable, and independent of the text.
    SplittableRandom ids = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
    String messageId = AnthropicHeaders.messageId(ids);
    String requestId = AnthropicHeaders.requestId(ids);
    List<String> toolUseIds = new ArrayList<>(choice.toolCalls().size());
    for (int i = 0; i < choice.toolCalls().size(); i++) {
      toolUseIds.add(AnthropicHeaders.toolUseId(ids));
    }
    String signature = request.thinkingBudget() == null ? "" : AnthropicHeaders.signature(ids);
    MessageEnvelope envelope =
        new MessageEnvelope(messageId, AnthropicModels.resolve(request.model()), toolUseIds,
            signature);

    if (request.stream()) {
      return new ResponsePlan(
          200,
          AnthropicHeaders.answer(SSE, requestId, nowEpochSeconds, inputTokens,
              request.maxTokens()),
          true,
          speed.scale(synthesis.offset(0)),
          new AnthropicStream(envelope, synthesis, speed));
    }
    long doneAt = speed.scale(synthesis.completionNanos());
    return ResponsePlan.of(
        200,
        AnthropicHeaders.answer(JSON, requestId, nowEpochSeconds, inputTokens,
            request.maxTokens()),
        AnthropicRenderer.message(envelope, choice, synthesis.usage()),
        doneAt);
  }

  /** {@code {"input_tokens": N}}: the count an answer to the same body reports. */
  public ResponsePlan countTokens(JsonNode body) {
    AnthropicParser.Parsed parsed = AnthropicParser.parse(body, false);
    int tokens = AnthropicTokens.input(parsed, Tokenizer.forModel(parsed.chat().model()));
    return ResponsePlan.of(200,
        AnthropicHeaders.plain(AnthropicHeaders.requestId(ThreadLocalRandom.current())),
        JsonBytes.write(g -> {
          g.writeStartObject();
          g.writeNumberField("input_tokens", tokens);
          g.writeEndObject();
        }), 0);
  }
}
