package io.llmsim.core.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.json.Json;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.Usage;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.Synthesis;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.synth.Synthesizer;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code :generateContent}, {@code :streamGenerateContent} and {@code :countTokens} in synthesize
 * mode: parses the body, synthesizes an answer with the shared {@link Synthesizer} and turns it
 * into a {@link ResponsePlan}. Thread-safe and pure (no I/O), so every answer can be tested
 * without sockets.
 */
public final class GeminiGenerateContent {
  private static final int ID_LENGTH = 23;

  private final SynthesisSettings settings;
  private final GeminiModels models;
  private final Synthesizer synthesizer = new Synthesizer();

  public GeminiGenerateContent(SynthesisSettings settings, GeminiModels models) {
    this.settings = settings;
    this.models = models;
  }

  /**
   * {@code POST /v1beta/models/{model}:generateContent}, or {@code :streamGenerateContent} when
   * {@code stream}: with {@code alt=sse} an SSE stream, without it a streamed JSON array.
   *
   * @throws ApiException for a request Google would refuse
   */
  public ResponsePlan generate(ApiRequest request, RequestOptions options, boolean stream) {
    boolean sse = stream && sse(request.query("alt"));
    String model = GeminiModels.strip(request.pathParam("model"));
    GeminiModels.Model known = models.find(model);
    GeminiRequest parsed = GeminiRequestParser.parse(body(request), model, stream,
        known == null ? null : known.outputTokenLimit());
    return synthesize(parsed, options, request.epochSeconds(), sse);
  }

  /** The plan for a parsed request; {@code sse} matters only for a streaming request. */
  ResponsePlan synthesize(GeminiRequest parsed, RequestOptions options, long epochSeconds,
      boolean sse) {
    String model = parsed.chat().model();
    LatencyProfile profile = settings.profileFor(model, options.profile());
    Speed speed = options.speed() != null ? options.speed() : settings.speed();
    long seed =
        options.seed() != null
            ? options.seed()
            : parsed.chat().seed() != null
                ? parsed.chat().seed()
                : ThreadLocalRandom.current().nextLong();

    Tokenizer tokenizer = Tokenizer.forModel(model);
    int promptTokens = parsed.promptTokens(tokenizer);
    Synthesis synthesis =
        synthesizer.synthesize(
            parsed.chat(), promptTokens, profile, settings.generator(), tokenizer, seed);
    if (parsed.enumOutput()) {
      synthesis = bareEnumValues(synthesis, tokenizer);
    }
    // Ids come from their own stream of the same seed: stable, and independent of the text.
    SplittableRandom ids = new SplittableRandom(seed ^ 0x6E6D6E69L);
    GeminiEnvelope envelope =
        new GeminiEnvelope(model, Synthesizer.randomId(ID_LENGTH, ids), promptTokens,
            parsed.mediaParts() * GeminiRequest.MEDIA_PART_TOKENS);

    if (parsed.chat().stream()) {
      String type = sse ? GeminiJson.SSE_TYPE : GeminiJson.JSON_TYPE;
      return new ResponsePlan(
          200,
          List.of(Map.entry("content-type", type), Map.entry("cache-control", "no-cache")),
          true,
          speed.scale(synthesis.offset(0)),
          new GeminiStream(envelope, synthesis, tokenizer, speed, sse));
    }
    return ResponsePlan.of(
        200, GeminiDialect.headers(), GeminiRenderer.response(envelope, synthesis),
        speed.scale(synthesis.completionNanos()));
  }

  /** {@code POST /v1beta/models/{model}:countTokens}: {@code totalTokens} and its modalities. */
  public ResponsePlan countTokens(ApiRequest request) {
    String model = GeminiModels.strip(request.pathParam("model"));
    GeminiRequest parsed = GeminiRequestParser.parseCountTokens(body(request), model);
    int total = parsed.promptTokens(Tokenizer.forModel(model));
    int media = parsed.mediaParts() * GeminiRequest.MEDIA_PART_TOKENS;
    byte[] body = GeminiJson.pretty(g -> {
      g.writeStartObject();
      g.writeNumberField("totalTokens", total);
      g.writeFieldName("promptTokensDetails");
      GeminiRenderer.writeModalities(g, total, media);
      g.writeEndObject();
    });
    return ResponsePlan.of(200, GeminiDialect.headers(), body, 0);
  }

  /** An empty body is an empty message to proto3 JSON, so its fields are simply missing. */
  private static JsonNode body(ApiRequest request) {
    return request.body().length == 0 ? Json.MAPPER.createObjectNode() : request.json();
  }

  private static boolean sse(String alt) {
    if (alt == null || alt.equals("json")) {
      return false;
    }
    if (alt.equals("sse")) {
      return true;
    }
    throw ApiException.invalid(
        "Invalid value at 'alt' (type.googleapis.com/google.api.Alt), \"" + alt + "\"; this"
            + " server streams with alt=sse or alt=json",
        "alt", null);
  }

  /**
   * {@code text/x.enum} answers with the chosen value itself, not a JSON string: unquote what
   * schema synthesis produced (a value cut short by the token limit stays as it was).
   */
  private static Synthesis bareEnumValues(Synthesis synthesis, Tokenizer tokenizer) {
    List<Choice> choices = new ArrayList<>();
    int completion = 0;
    for (Choice c : synthesis.choices()) {
      Choice out = c;
      if (!c.isToolCall() && c.finishReason() == FinishReason.STOP) {
        try {
          JsonNode value = Json.MAPPER.readTree(c.content());
          if (value != null && value.isTextual()) {
            String text = value.asText();
            out = new Choice(c.index(), List.of(text), List.of(), c.finishReason(),
                tokenizer.count(text));
          }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          // not a JSON string: leave the answer as synthesized
        }
      }
      choices.add(out);
      completion += out.completionTokens();
    }
    return new Synthesis(choices, new Usage(synthesis.usage().promptTokens(), completion),
        offsets(synthesis, choices));
  }

  /** The timeline cut to the steps the rewritten choices still need (at least the opening). */
  private static long[] offsets(Synthesis synthesis, List<Choice> choices) {
    int steps = 1;
    for (Choice c : choices) {
      steps = Math.max(steps, 1 + c.steps());
    }
    long[] offsets = new long[steps];
    for (int k = 0; k < steps; k++) {
      offsets[k] = synthesis.offset(Math.min(k, synthesis.steps() - 1));
    }
    // The answer is complete when the original one was.
    offsets[steps - 1] = Math.max(offsets[steps - 1], synthesis.completionNanos());
    return offsets;
  }
}
