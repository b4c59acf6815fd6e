package io.llmsim.core.openai;

import static io.llmsim.core.openai.OpenAiFields.missing;
import static io.llmsim.core.openai.OpenAiFields.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.generate.GenerationBudget;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code POST /v1/embeddings} (WIRE-FORMATS §4.2): one deterministic unit vector per input (see
 * {@link EmbeddingVectors}), as float arrays or, for {@code encoding_format: "base64"} (what the
 * Python, Node and Java SDKs ask for by default), as base64 of little-endian float32. Usage counts
 * the inputs' tokens. The answer comes after one time-to-first-token draw of the model's latency
 * profile (prompt-size term included); map {@code text-embedding-*} to a faster profile in a
 * profiles file for snappier embeddings. Thread-safe and pure.
 */
public final class OpenAiEmbeddings {
  /** OpenAI's limits: inputs per request, tokens per input, tokens per request. */
  static final int MAX_INPUTS = 2048;
  static final int MAX_INPUT_TOKENS = 8192;
  static final int MAX_REQUEST_TOKENS = 300_000;

  private static final String INPUT_TYPES =
      "a string, an array of strings, an array of integers, or an array of arrays of integers";

  /** One input: the key its vector is drawn from, and its token count. */
  private record Input(String key, int tokens) {}

  private final SynthesisSettings settings;

  public OpenAiEmbeddings(SynthesisSettings settings) {
    this.settings = settings;
  }

  /** @throws ApiException for a request OpenAI would refuse */
  public ResponsePlan create(JsonNode body, RequestOptions options) {
    OpenAiFields.object(body);
    String model = OpenAiFields.model(body);
    Tokenizer tokenizer = Tokenizer.forModel(model);
    List<Input> inputs = inputs(body.get("input"), tokenizer);

    String format = OpenAiFields.optionalString(body, "encoding_format", "");
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw OpenAiFields.invalidValue("encoding_format", format, "'float' and 'base64'");
    }
    boolean base64 = "base64".equals(format);
    int dimensions = EmbeddingVectors.nativeDimensions(model);
    if (!OpenAiFields.absent(body, "dimensions")) {
      if (!EmbeddingVectors.supportsDimensions(model)) {
        throw ApiException.invalid(
            "This model does not support specifying dimensions.", "dimensions",
            "unsupported_parameter");
      }
      dimensions = OpenAiFields.optionalInt(body, "dimensions", 1, dimensions);
    }
    OpenAiFields.optionalString(body, "user", "");

    int tokens = 0;
    for (Input input : inputs) {
      tokens += input.tokens();
    }
    if (tokens > MAX_REQUEST_TOKENS) {
      throw ApiException.invalid(
          "Requested " + tokens + " tokens, max " + MAX_REQUEST_TOKENS + " tokens per request",
          "input", "max_tokens_per_request");
    }

    OpenAiRun run = OpenAiRun.resolve(settings, model, options, null);
    SplittableRandom ids = run.ids();
    String requestId = OpenAiHeaders.requestId(ids);
    long doneAt =
        run.speed().scale(run.profile().drawTtftNanos(tokens, new SplittableRandom(run.seed())));

    int dims = dimensions;
    int total = tokens;
    // Every value of every vector is made and written: charged as work, a large batch (2,048
    // inputs of 3,072 dimensions is 6.3 million values) is made off the event loop.
    GenerationBudget.forRequest().step((long) inputs.size() * dims);
    byte[] json = JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (int i = 0; i < inputs.size(); i++) {
        float[] vector = EmbeddingVectors.vector(model, inputs.get(i).key(), dims);
        g.writeStartObject();
        g.writeStringField("object", "embedding");
        g.writeNumberField("index", i);
        g.writeFieldName("embedding");
        if (base64) {
          g.writeString(EmbeddingVectors.base64(vector));
        } else {
          g.writeStartArray();
          for (float x : vector) {
            g.writeNumber(x);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", model);
      g.writeObjectFieldStart("usage");
      g.writeNumberField("prompt_tokens", total);
      g.writeNumberField("total_tokens", total);
      g.writeEndObject();
      g.writeEndObject();
    });
    return ResponsePlan.of(
        200, OpenAiHeaders.answer("application/json", requestId, doneAt / 1_000_000, tokens),
        json, doneAt);
  }

  private static List<Input> inputs(JsonNode node, Tokenizer tokenizer) {
    if (node == null || node.isNull()) {
      throw missing("input");
    }
    if (node.isTextual()) {
      return List.of(text(node.asText(), "input", tokenizer));
    }
    if (!node.isArray()) {
      throw wrongType("input", INPUT_TYPES, node);
    }
    if (node.isEmpty()) {
      throw ApiException.invalid(
          "Invalid 'input': empty array. Expected an array with minimum length 1, but got an"
              + " empty array instead.",
          "input", "empty_array");
    }
    JsonNode first = node.get(0);
    if (first.isIntegralNumber()) {
      return List.of(tokens(node, "input"));
    }
    if (node.size() > MAX_INPUTS) {
      throw ApiException.invalid(
          "Invalid 'input': array too long. Expected an array with maximum length " + MAX_INPUTS
              + ", but got an array with length " + node.size() + " instead.",
          "input", "array_above_max_length");
    }
    List<Input> inputs = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String where = "input[" + i + "]";
      if (first.isTextual() && item.isTextual()) {
        inputs.add(text(item.asText(), where, tokenizer));
      } else if (first.isArray() && item.isArray()) {
        inputs.add(tokens(item, where));
      } else {
        throw wrongType(where, first.isTextual() ? "a string"
            : first.isArray() ? "an array of integers"
            : "a string, an integer or an array of integers", item);
      }
    }
    return inputs;
  }

  private static Input text(String text, String where, Tokenizer tokenizer) {
    if (text.isEmpty()) {
      throw ApiException.invalid(
          "Invalid '" + where + "': string too short. Expected a string with minimum length 1,"
              + " but got an empty string instead.",
          where, "string_below_min_length");
    }
    return checkLength(new Input(text, tokenizer.count(text)), where);
  }

  /** A token-array input; its vector is keyed by the ids, not by the text they spell. */
  private static Input tokens(JsonNode ids, String where) {
    if (ids.isEmpty()) {
      throw ApiException.invalid(
          "Invalid '" + where + "': empty array. Expected an array with minimum length 1, but got"
              + " an empty array instead.",
          where, "empty_array");
    }
    StringBuilder key = new StringBuilder("\u0000tokens:");
    for (int i = 0; i < ids.size(); i++) {
      JsonNode id = ids.get(i);
      if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
        throw ApiException.invalid(
            "Invalid '" + where + "[" + i + "]': expected a token id (a non-negative integer),"
                + " but got " + OpenAiFields.describe(id) + " instead.",
            where + "[" + i + "]", "invalid_type");
      }
      key.append(id.intValue()).append(',');
    }
    return checkLength(new Input(key.toString(), ids.size()), where);
  }

  private static Input checkLength(Input input, String where) {
    if (input.tokens() > MAX_INPUT_TOKENS) {
      throw ApiException.invalid(
          "This model's maximum context length is " + MAX_INPUT_TOKENS + " tokens, however you"
              + " requested " + input.tokens() + " tokens (" + input.tokens() + " in your prompt;"
              + " 0 for the completion). Please reduce your prompt; or completion length.",
          where, "context_length_exceeded");
    }
    return input;
  }
}
