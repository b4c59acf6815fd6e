package io.llmsim.core.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.InvalidJsonException;
import io.llmsim.core.tokens.Tokenizer;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What a request reserves against a tokens-per-minute limit before it is answered, in any
 * dialect: its input tokens (the text of every string in the body except the model, roles and
 * type tags, counted with the model's tokenizer, plus 3 tokens of framing per message, as OpenAI
 * counts) and the output it allows itself ({@code max_tokens}, {@code max_completion_tokens},
 * {@code max_output_tokens}, Gemini's {@code generationConfig.maxOutputTokens}; 0 when absent,
 * so the real output is taken when the answer is settled).
 */
public record TokenEstimate(long inputTokens, long maxOutputTokens) {
  private static final Set<String> NOT_TEXT = Set.of("model", "role", "type", "id",
      "tool_call_id", "tool_choice", "stream", "format", "mime_type", "media_type",
      "response_format", "reasoning_effort", "service_tier");
  private static final Set<String> MESSAGE_LISTS = Set.of("messages", "contents", "input");

  public static TokenEstimate of(ApiRequest request) {
    JsonNode body;
    try {
      body = request.json();
    } catch (InvalidJsonException e) {
      return new TokenEstimate(0, 0);
    }
    if (!body.isObject()) {
      return new TokenEstimate(0, 0);
    }
    Tokenizer tokenizer = Tokenizer.forModel(request.model() == null ? "" : request.model());
    long input = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (NOT_TEXT.contains(field.getKey()) || field.getKey().startsWith("max_")
          || field.getKey().equals("generationConfig")) {
        continue;
      }
      if (MESSAGE_LISTS.contains(field.getKey()) && field.getValue().isArray()) {
        input += 3L * field.getValue().size() + 3;
      }
      input += text(field.getValue(), tokenizer);
    }
    long maxOutput = firstWhole(body, "max_tokens", "max_completion_tokens", "max_output_tokens");
    if (maxOutput == 0 && body.path("generationConfig").isObject()) {
      maxOutput = firstWhole(body.path("generationConfig"), "maxOutputTokens", "max_output_tokens");
    }
    return new TokenEstimate(input, maxOutput);
  }

  private static long text(JsonNode node, Tokenizer tokenizer) {
    if (node.isTextual()) {
      return tokenizer.count(node.asText());
    }
    long total = 0;
    if (node.isArray()) {
      for (JsonNode item : node) {
        total += text(item, tokenizer);
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!NOT_TEXT.contains(field.getKey())) {
          total += text(field.getValue(), tokenizer);
        }
      }
    }
    return total;
  }

  private static long firstWhole(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && value.canConvertToLong() && value.asLong() > 0) {
        return value.asLong();
      }
    }
    return 0;
  }
}
