package io.llmsim.store.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recognises the events that carry output in each provider's stream (WIRE-FORMATS §2.3, §3.3, §5.4,
 * §6.3), and the usage they report. The format is told by each event's JSON, not by the path, so
 * it also works for proxies and Azure paths:
 *
 * <ul>
 *   <li>OpenAI chat (and legacy completions): {@code choices[].delta.content}, {@code refusal},
 *       {@code tool_calls[].function.arguments} (or {@code choices[].text}); not the role-only
 *       first chunk, nor the finish or usage chunks. Usage from the {@code usage} chunk.
 *   <li>OpenAI responses: {@code response.output_text.delta} and the other {@code *.delta} events
 *       that stream output (refusal, function-call arguments, reasoning text). Usage from
 *       {@code response.completed}.
 *   <li>Anthropic: {@code content_block_delta} with text, thinking or tool-input JSON (not the
 *       signature). Input usage from {@code message_start}, output from {@code message_delta}.
 *   <li>Gemini: {@code candidates[].content.parts[]} with text or a function call. Usage from
 *       {@code usageMetadata} (the last one).
 * </ul>
 */
public final class OutputEventParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESPONSES_OUTPUT_DELTAS = Set.of(
      "response.output_text.delta", "response.refusal.delta",
      "response.function_call_arguments.delta", "response.custom_tool_call_input.delta",
      "response.reasoning_text.delta", "response.reasoning_summary_text.delta");

  private final List<OutputEvent> outputs = new ArrayList<>();
  private Long inputTokens;
  private Long outputTokens;
  private boolean geminiThoughts;
  private Long geminiThoughtTokens;

  private OutputEventParser() {}

  /** Reads a stream's events. Events that are not JSON (OpenAI's {@code [DONE]}) are passed by. */
  public static StreamReading read(List<SseEvent> events) {
    OutputEventParser parser = new OutputEventParser();
    for (SseEvent event : events) {
      parser.accept(event);
    }
    return parser.result();
  }

  private void accept(SseEvent event) {
    String data = event.data();
    if (data.isEmpty() || data.charAt(0) != '{') {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      return; // a malformed event carries nothing we can time
    }
    StringBuilder text = new StringBuilder();
    if (node.has("choices")) {
      openAiChat(node, text);
    } else if (node.path("type").isTextual()) {
      typed(node, text);
    } else if (node.has("candidates") || node.has("usageMetadata")) {
      gemini(node, text);
    }
    if (!text.isEmpty()) {
      outputs.add(new OutputEvent(event.offsetMicros(), text.toString()));
    }
  }

  private void openAiChat(JsonNode node, StringBuilder text) {
    for (JsonNode choice : node.path("choices")) {
      JsonNode delta = choice.path("delta");
      appendText(text, delta.path("content"));
      appendText(text, delta.path("refusal"));
      appendText(text, delta.path("reasoning_content"));
      for (JsonNode call : delta.path("tool_calls")) {
        appendText(text, call.path("function").path("arguments"));
      }
      appendText(text, choice.path("text")); // legacy completions
    }
    JsonNode usage = node.path("usage");
    if (usage.isObject()) {
      inputTokens = longOr(usage.path("prompt_tokens"), inputTokens);
      outputTokens = longOr(usage.path("completion_tokens"), outputTokens);
    }
  }

  private void typed(JsonNode node, StringBuilder text) {
    String type = node.path("type").asText();
    switch (type) {
      case "content_block_delta" -> {
        JsonNode delta = node.path("delta");
        appendText(text, delta.path("text"));
        appendText(text, delta.path("thinking"));
        appendText(text, delta.path("partial_json"));
      }
      case "message_start" -> {
        JsonNode usage = node.path("message").path("usage");
        inputTokens = anthropicInput(usage, inputTokens);
        outputTokens = longOr(usage.path("output_tokens"), outputTokens);
      }
      case "message_delta" -> {
        JsonNode usage = node.path("usage");
        inputTokens = anthropicInput(usage, inputTokens);
        outputTokens = longOr(usage.path("output_tokens"), outputTokens);
      }
      case "response.completed", "response.incomplete", "response.failed" -> {
        JsonNode usage = node.path("response").path("usage");
        inputTokens = longOr(usage.path("input_tokens"), inputTokens);
        outputTokens = longOr(usage.path("output_tokens"), outputTokens);
      }
      default -> {
        if (RESPONSES_OUTPUT_DELTAS.contains(type)) {
          appendText(text, node.path("delta"));
        }
      }
    }
  }

  private void gemini(JsonNode node, StringBuilder text) {
    for (JsonNode candidate : node.path("candidates")) {
      for (JsonNode part : candidate.path("content").path("parts")) {
        appendText(text, part.path("text"));
        if (part.path("thought").asBoolean(false) && part.path("text").isTextual()) {
          geminiThoughts = true;
        }
        if (part.has("functionCall")) {
          text.append(part.get("functionCall").path("args").toString());
        }
      }
    }
    JsonNode usage = node.path("usageMetadata");
    if (usage.isObject()) {
      inputTokens = longOr(usage.path("promptTokenCount"), inputTokens);
      outputTokens = longOr(usage.path("candidatesTokenCount"), outputTokens);
      geminiThoughtTokens = longOr(usage.path("thoughtsTokenCount"), geminiThoughtTokens);
    }
  }

  private StreamReading result() {
    Long output = outputTokens;
    if (geminiThoughts && geminiThoughtTokens != null && output != null) {
      output += geminiThoughtTokens; // streamed thoughts are output the client saw
    }
    return new StreamReading(outputs, inputTokens, output);
  }

  /** Anthropic's prompt is the uncached input plus what was written to or read from the cache. */
  private static Long anthropicInput(JsonNode usage, Long previous) {
    if (!usage.path("input_tokens").isNumber()) {
      return previous;
    }
    return usage.path("input_tokens").asLong()
        + usage.path("cache_creation_input_tokens").asLong(0)
        + usage.path("cache_read_input_tokens").asLong(0);
  }

  private static void appendText(StringBuilder text, JsonNode node) {
    if (node.isTextual()) {
      text.append(node.asText());
    }
  }

  private static Long longOr(JsonNode node, Long previous) {
    return node.isNumber() ? Long.valueOf(node.asLong()) : previous;
  }
}
