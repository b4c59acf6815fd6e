package io.llmsim.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.generate.GenerationBudget;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.ToolChoice;
import io.llmsim.core.model.Usage;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.Synthesis;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.synth.Synthesizer;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Legacy {@code POST /v1/completions} in synthesize mode (WIRE-FORMATS §4.1): a
 * {@code text_completion} body, or a stream of {@code text_completion} chunks ending in
 * {@code data: [DONE]}. Each prompt is synthesized on its own (so an echoing generator answers each
 * prompt), with {@code n} choices numbered prompt by prompt; the batch shares one timeline, each
 * step waiting for the slowest prompt. Thread-safe and pure.
 */
public final class OpenAiCompletions {
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String JSON = "application/json";
  /** Spreads the seeds of a batch's prompts apart (the golden-ratio increment). */
  private static final long PROMPT_SEED_STEP = 0x9E3779B97F4A7C15L;

  private final SynthesisSettings settings;
  private final Synthesizer synthesizer = new Synthesizer();

  public OpenAiCompletions(SynthesisSettings settings) {
    this.settings = settings;
  }

  /** @throws io.llmsim.core.error.ApiException for a request OpenAI would refuse */
  public ResponsePlan synthesize(JsonNode body, RequestOptions options, long nowEpochSeconds) {
    CompletionRequest request = OpenAiCompletionParser.parse(body);
    OpenAiRun run = OpenAiRun.resolve(settings, request.model(), options, request.seed());
    Tokenizer tokenizer = Tokenizer.forModel(request.model());

    // One budget for the whole batch: n answers to each of up to 2,048 prompts add up.
    GenerationBudget budget = GenerationBudget.forRequest();
    List<Synthesis> parts = new ArrayList<>(request.prompts().size());
    for (int p = 0; p < request.prompts().size(); p++) {
      CompletionRequest.Prompt prompt = request.prompts().get(p);
      ChatRequest chat =
          new ChatRequest(
              request.model(), List.of(new Message("user", prompt.text(), null)), List.of(),
              ToolChoice.NONE, null, false, request.maxTokens(), request.n(), request.stream(),
              request.includeUsage(), false, null);
      parts.add(
          synthesizer.synthesize(
              chat, prompt.tokenCount(), run.profile(), settings.generator(), tokenizer,
              run.seed() + p * PROMPT_SEED_STEP, budget));
    }
    Synthesis synthesis = combine(parts, request.n());

    SplittableRandom ids = run.ids();
    ChatEnvelope envelope =
        new ChatEnvelope(
            "cmpl-" + Synthesizer.randomId(29, ids), nowEpochSeconds,
            OpenAiModels.resolve(request.model()), null);
    String requestId = OpenAiHeaders.requestId(ids);
    int tokensRequested =
        synthesis.usage().promptTokens() + request.maxTokens() * synthesis.choices().size();

    if (request.stream()) {
      long headersAt = run.speed().scale(synthesis.offset(0));
      return new ResponsePlan(
          200,
          OpenAiHeaders.answer(SSE, requestId, headersAt / 1_000_000, tokensRequested),
          true,
          headersAt,
          new OpenAiCompletionStream(
              envelope, synthesis, echoes(request), request.includeUsage(), run.speed()));
    }
    long doneAt = run.speed().scale(synthesis.completionNanos());
    List<String> echoes = echoes(request);
    byte[] json = JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeStringField("id", envelope.id());
      g.writeStringField("object", "text_completion");
      g.writeNumberField("created", envelope.created());
      g.writeStringField("model", envelope.model());
      g.writeArrayFieldStart("choices");
      for (Choice choice : synthesis.choices()) {
        g.writeStartObject();
        g.writeStringField("text", echoes.get(choice.index()) + choice.content());
        g.writeNumberField("index", choice.index());
        g.writeNullField("logprobs");
        g.writeStringField("finish_reason", OpenAiChatRenderer.finishReason(choice.finishReason()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName("usage");
      OpenAiCompletionStream.writeUsage(g, synthesis.usage());
      g.writeEndObject();
    });
    return ResponsePlan.of(
        200, OpenAiHeaders.answer(JSON, requestId, doneAt / 1_000_000, tokensRequested), json,
        doneAt);
  }

  /** The text each choice starts with: its prompt when {@code echo} is set, else nothing. */
  private static List<String> echoes(CompletionRequest request) {
    List<String> echoes = new ArrayList<>();
    for (CompletionRequest.Prompt prompt : request.prompts()) {
      for (int i = 0; i < request.n(); i++) {
        echoes.add(request.echo() ? prompt.text() : "");
      }
    }
    return echoes;
  }

  /**
   * One synthesis for the whole batch: choices renumbered prompt by prompt, usage summed, and a
   * timeline where each step comes when every prompt has reached it (never earlier than the step
   * before).
   */
  static Synthesis combine(List<Synthesis> parts, int n) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<Choice> choices = new ArrayList<>();
    int prompt = 0;
    int completion = 0;
    int steps = 0;
    for (int p = 0; p < parts.size(); p++) {
      Synthesis part = parts.get(p);
      for (Choice c : part.choices()) {
        choices.add(
            new Choice(
                p * n + c.index(), c.contentChunks(), c.toolCalls(), c.finishReason(),
                c.completionTokens()));
      }
      prompt += part.usage().promptTokens();
      completion += part.usage().completionTokens();
      steps = Math.max(steps, part.steps());
    }
    long[] offsets = new long[steps];
    for (int k = 0; k < steps; k++) {
      long at = k == 0 ? 0 : offsets[k - 1];
      for (Synthesis part : parts) {
        if (k < part.steps()) {
          at = Math.max(at, part.offset(k));
        }
      }
      offsets[k] = at;
    }
    return new Synthesis(choices, new Usage(prompt, completion), offsets);
  }
}
