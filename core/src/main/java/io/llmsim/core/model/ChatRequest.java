package io.llmsim.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A chat request in provider-neutral form: what every dialect parses its wire request into, and
 * what synthesis answers.
 *
 * @param responseSchema the JSON Schema the answer must satisfy, or null
 * @param jsonObject the answer must be a JSON object (OpenAI {@code json_object} mode)
 * @param maxTokens cap on generated tokens per choice, or null for none
 * @param n number of choices
 * @param includeUsage send a usage chunk at the end of a stream
 * @param includeObfuscation pad stream chunks with an {@code obfuscation} field
 * @param seed the request's own seed, or null
 * @param stopSequences texts that end the answer where they first appear (left out of it)
 * @param thinkingBudget when not null, think before answering, in at most this many tokens
 *     (Anthropic's extended thinking); they count towards {@code maxTokens}
 */
public record ChatRequest(
    String model,
    List<Message> messages,
    List<Tool> tools,
    ToolChoice toolChoice,
    JsonNode responseSchema,
    boolean jsonObject,
    Integer maxTokens,
    int n,
    boolean stream,
    boolean includeUsage,
    boolean includeObfuscation,
    Long seed,
    List<String> stopSequences,
    Integer thinkingBudget) {

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
  }

  /** A request without stop sequences or thinking: what OpenAI's chat parser builds. */
  public ChatRequest(
      String model,
      List<Message> messages,
      List<Tool> tools,
      ToolChoice toolChoice,
      JsonNode responseSchema,
      boolean jsonObject,
      Integer maxTokens,
      int n,
      boolean stream,
      boolean includeUsage,
      boolean includeObfuscation,
      Long seed) {
    this(model, messages, tools, toolChoice, responseSchema, jsonObject, maxTokens, n, stream,
        includeUsage, includeObfuscation, seed, List.of(), null);
  }

  /** The text of the last user message, or "" when there is none. */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role())) {
        return messages.get(i).text();
      }
    }
    return "";
  }

  /** True when the conversation ends with a tool result, i.e. the model should now answer. */
  public boolean endsWithToolResult() {
    return !messages.isEmpty() && "tool".equals(messages.get(messages.size() - 1).role());
  }

  public Tool tool(String name) {
    for (Tool tool : tools) {
      if (tool.name().equals(name)) {
        return tool;
      }
    }
    return null;
  }
}
