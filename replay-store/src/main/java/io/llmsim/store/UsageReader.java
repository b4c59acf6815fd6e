package io.llmsim.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Token usage as a provider reported it in a response body, whole JSON or a stream of events:
 * OpenAI's {@code usage.prompt_tokens}/{@code completion_tokens} (chat, completions),
 * {@code input_tokens}/{@code output_tokens} (Responses, Anthropic, whose stream reports input in
 * {@code message_start} and output in {@code message_delta}), Gemini's
 * {@code usageMetadata.promptTokenCount}/{@code candidatesTokenCount}. The last value reported
 * wins, since streams repeat usage with running totals.
 */
public final class UsageReader {
  private UsageReader() {}

  /** The usage in {@code body}; null when it reports none. */
  public static TokenUsage read(byte[] body) {
    Long[] found = new Long[2];
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.contains("data:")) {
      for (String line : text.split("\n")) {
        if (line.startsWith("data:")) {
          scan(parse(line.substring(5).trim()), found);
        }
      }
    } else {
      scan(parse(text), found);
    }
    return found[0] == null && found[1] == null ? null : new TokenUsage(found[0], found[1]);
  }

  private static JsonNode parse(String json) {
    if (json.isEmpty() || !(json.startsWith("{") || json.startsWith("["))) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return null; // a cut or malformed event reports nothing
    }
  }

  private static void scan(JsonNode node, Long[] found) {
    if (node == null) {
      return;
    }
    if (node.isArray()) {
      node.forEach(n -> scan(n, found));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode usage = node.get("usage");
    if (usage != null && usage.isObject()) {
      take(usage, "prompt_tokens", found, 0);
      take(usage, "input_tokens", found, 0);
      take(usage, "completion_tokens", found, 1);
      take(usage, "output_tokens", found, 1);
    }
    JsonNode metadata = node.get("usageMetadata");
    if (metadata != null && metadata.isObject()) {
      take(metadata, "promptTokenCount", found, 0);
      take(metadata, "candidatesTokenCount", found, 1);
    }
    // Usage nests inside a wrapper: Anthropic's message_start.message, Responses' response.
    for (String wrapper : new String[] {"message", "response"}) {
      JsonNode inner = node.get(wrapper);
      if (inner != null && inner.isObject()) {
        scan(inner, found);
      }
    }
  }

  private static void take(JsonNode usage, String field, Long[] found, int slot) {
    JsonNode value = usage.get(field);
    if (value != null && value.canConvertToLong() && value.isNumber()) {
      found[slot] = value.asLong();
    }
  }
}
