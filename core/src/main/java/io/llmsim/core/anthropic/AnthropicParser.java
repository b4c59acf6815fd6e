package io.llmsim.core.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.Tool;
import io.llmsim.core.model.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates an Anthropic Messages body (WIRE-FORMATS §5.2) into a provider-neutral
 * {@link ChatRequest}. The system prompt becomes a system message; content blocks become text
 * (tool_use blocks as their name and input, tool_result blocks as their content, which makes a
 * user turn of tool results a {@code tool} message); custom tools keep their
 * {@code input_schema}; {@code tool_choice} auto/any/tool/none maps to auto/required/named/none;
 * a structured-output schema becomes the answer's schema. Errors name the offending field the way
 * Anthropic does ({@code messages.0.content: Field required}).
 */
public final class AnthropicParser {
  /** Tokens an image or a PDF page costs at most once Anthropic has resized it. */
  static final int MEDIA_TOKENS = 1_568;

  /** The smallest thinking budget Anthropic accepts. */
  static final int MIN_THINKING_BUDGET = 1_024;

  /**
   * Block types counted as their JSON (results of Anthropic's server tools, passed back in a
   * later turn); with the types handled by name, every tag the API accepts.
   */
  private static final Set<String> OTHER_BLOCKS = Set.of("search_result",
      "web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
      "bash_code_execution_tool_result", "text_editor_code_execution_tool_result",
      "mcp_tool_use", "mcp_tool_result", "container_upload");
  private static final String BLOCK_TAGS = "'text', 'image', 'document', 'search_result', "
      + "'tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'server_tool_use', "
      + "'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result', "
      + "'bash_code_execution_tool_result', 'text_editor_code_execution_tool_result', "
      + "'mcp_tool_use', 'mcp_tool_result', 'container_upload'";

  private AnthropicParser() {}

  /**
   * A parsed Messages body.
   *
   * @param mediaTokens the estimated tokens of its image and document blocks, which have no text
   */
  public record Parsed(ChatRequest chat, int mediaTokens) {}

  /**
   * @param forCreate true for {@code POST /v1/messages} ({@code max_tokens} required), false for
   *     {@code count_tokens} (which takes no {@code max_tokens} and never streams)
   */
  public static Parsed parse(JsonNode body, boolean forCreate) {
    if (body == null || !body.isObject()) {
      throw invalid("Input should be a valid dictionary or object to extract fields from");
    }
    // Absent and null differ, as in Anthropic's validation: "Field required" is for absent only.
    JsonNode modelNode = body.get("model");
    if (modelNode == null) {
      throw field("model", "Field required");
    }
    if (!modelNode.isTextual()) {
      throw field("model", "Input should be a valid string");
    }
    if (modelNode.asText().isEmpty()) {
      throw field("model", "String should have at least 1 character");
    }

    Integer maxTokens = null;
    if (forCreate) {
      JsonNode max = body.get("max_tokens");
      if (max == null) {
        throw field("max_tokens", "Field required");
      }
      if (!max.isIntegralNumber() || !max.canConvertToInt()) {
        throw field("max_tokens", "Input should be a valid integer");
      }
      if (max.intValue() < 1) {
        throw field("max_tokens", "Input should be greater than or equal to 1");
      }
      maxTokens = max.intValue();
    }

    List<Message> messages = new ArrayList<>();
    int[] media = {0};
    JsonNode system = body.get("system");
    if (system != null && !system.isNull()) {
      messages.add(new Message("system", systemText(system, media), null));
    }
    JsonNode messagesNode = body.get("messages");
    if (messagesNode == null) {
      throw field("messages", "Field required");
    }
    if (!messagesNode.isArray()) {
      throw field("messages", "Input should be a valid list");
    }
    if (messagesNode.isEmpty()) {
      throw invalid("messages: at least one message is required");
    }
    for (int i = 0; i < messagesNode.size(); i++) {
      message(messagesNode.get(i), i, i == messagesNode.size() - 1, messages, media);
    }

    boolean stream = false;
    JsonNode streamNode = body.get("stream");
    if (forCreate && streamNode != null && !streamNode.isNull()) {
      if (!streamNode.isBoolean()) {
        throw field("stream", "Input should be a valid boolean");
      }
      stream = streamNode.booleanValue();
    }

    List<Tool> tools = tools(body.get("tools"));
    ToolChoice toolChoice = toolChoice(body.get("tool_choice"), tools);
    Integer thinking = thinking(body.get("thinking"), maxTokens, toolChoice);
    List<String> stopSequences = stopSequences(body.get("stop_sequences"));
    JsonNode config = body.get("output_config");
    if (config != null && !config.isNull() && !config.isObject()) {
      throw field("output_config", "Input should be a valid dictionary");
    }
    JsonNode responseSchema = config != null && config.has("format")
        ? outputSchema(config.get("format"), "output_config.format")
        : outputSchema(body.get("output_format"), "output_format");
    checkRange(body, "temperature", 0, 1);
    checkRange(body, "top_p", 0, 1);
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull() && (!topK.isIntegralNumber() || topK.intValue() < 0)) {
      throw field("top_k", "Input should be a valid integer greater than or equal to 0");
    }

    ChatRequest chat =
        new ChatRequest(
            modelNode.asText(), messages, tools, toolChoice, responseSchema, false, maxTokens, 1,
            stream, false, false, null, stopSequences, thinking);
    return new Parsed(chat, media[0]);
  }

  private static String systemText(JsonNode system, int[] media) {
    if (system.isTextual()) {
      return system.asText();
    }
    if (!system.isArray()) {
      throw field("system", "Input should be a valid string or a valid list");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      String where = "system." + i;
      if (!"text".equals(block.path("type").asText())) {
        throw field(where + ".type", "Input should be 'text'");
      }
      if (!block.path("text").isTextual()) {
        throw field(where + ".text", "Field required");
      }
      text.append(block.get("text").asText());
    }
    return text.toString();
  }

  /** Adds the neutral messages for Anthropic message {@code i}. */
  private static void message(JsonNode node, int i, boolean last, List<Message> out,
      int[] media) {
    String where = "messages." + i;
    if (!node.isObject()) {
      throw field(where, "Input should be a valid dictionary or object to extract fields from");
    }
    JsonNode roleNode = node.get("role");
    if (roleNode == null) {
      throw field(where + ".role", "Field required");
    }
    String role = roleNode.asText();
    if (!roleNode.isTextual() || !(role.equals("user") || role.equals("assistant"))) {
      throw field(where + ".role", "Input should be 'user' or 'assistant'");
    }
    JsonNode content = node.get("content");
    if (content == null) {
      throw field(where + ".content", "Field required");
    }
    if (!content.isTextual() && !content.isArray()) {
      throw field(where + ".content", "Input should be a valid string or a valid list");
    }
    boolean empty = content.isTextual() ? content.asText().isEmpty() : content.isEmpty();
    if (empty && !(last && role.equals("assistant"))) {
      throw invalid(where + ": all messages must have non-empty content except for the optional"
          + " final assistant message");
    }
    if (content.isTextual()) {
      out.add(new Message(role, content.asText(), null));
      return;
    }
    StringBuilder text = new StringBuilder();
    StringBuilder results = new StringBuilder();
    boolean hasResults = false;
    for (int b = 0; b < content.size(); b++) {
      JsonNode block = content.get(b);
      String at = where + ".content." + b;
      if (!block.isObject()) {
        throw field(at, "Input should be a valid dictionary or object to extract fields from");
      }
      JsonNode typeNode = block.get("type");
      if (typeNode == null || !typeNode.isTextual()) {
        throw field(at + ".type", "Field required");
      }
      switch (typeNode.asText()) {
        case "text" -> {
          if (!block.path("text").isTextual()) {
            throw field(at + ".text", "Field required");
          }
          text.append(block.get("text").asText());
        }
        case "image", "document" -> {
          if (!block.path("source").isObject()) {
            throw field(at + ".source", "Field required");
          }
          JsonNode source = block.get("source");
          // A plain-text document is counted as its text; anything else as a resized image.
          if ("text".equals(source.path("type").asText())) {
            text.append(source.path("data").asText(""));
          } else {
            media[0] += MEDIA_TOKENS;
          }
        }
        case "tool_use", "server_tool_use" -> {
          if (!role.equals("assistant")) {
            throw invalid(at + ": tool_use blocks may only appear in assistant messages");
          }
          if (!block.path("name").isTextual()) {
            throw field(at + ".name", "Field required");
          }
          if (!block.path("input").isObject()) {
            throw field(at + ".input", "Input should be a valid dictionary");
          }
          // Earlier tool calls are part of the prompt: count their name and input as text.
          text.append(block.get("name").asText()).append(block.get("input").toString());
        }
        case "tool_result" -> {
          if (!block.path("tool_use_id").isTextual()) {
            throw field(at + ".tool_use_id", "Field required");
          }
          hasResults = true;
          results.append(resultText(block.get("content"), media));
        }
        // Thinking from earlier turns is dropped from the context, so it costs no input.
        case "thinking", "redacted_thinking" -> { }
        default -> {
          if (!OTHER_BLOCKS.contains(typeNode.asText())) {
            throw field(at, "Input tag '" + typeNode.asText() + "' found using 'type' does not"
                + " match any of the expected tags: " + BLOCK_TAGS);
          }
          text.append(block.toString());
        }
      }
    }
    if (text.length() > 0 || !hasResults) {
      out.add(new Message(role, text.toString(), null));
    }
    if (hasResults) {
      // Last, so that a turn of tool results reads as one: the model now answers in text.
      out.add(new Message("tool", results.toString(), null));
    }
  }

  private static String resultText(JsonNode content, int[] media) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        text.append(part.path("text").asText(""));
      } else if ("image".equals(part.path("type").asText())) {
        media[0] += MEDIA_TOKENS;
      }
    }
    return text.toString();
  }

  private static List<Tool> tools(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw field("tools", "Input should be a valid list");
    }
    List<Tool> tools = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode tool = node.get(i);
      String where = "tools." + i;
      if (!tool.isObject()) {
        throw field(where, "Input should be a valid dictionary or object to extract fields from");
      }
      String type = tool.path("type").asText("custom");
      JsonNode name = tool.get("name");
      if (name == null || !name.isTextual()) {
        throw field(where + ".name", "Field required");
      }
      if (!type.equals("custom")) {
        // A server tool (web search, code execution...): Anthropic runs it, the client never
        // gets a tool_use for it, so synthesis leaves it out.
        continue;
      }
      if (!name.asText().matches("[a-zA-Z0-9_-]{1,128}")) {
        throw field(where + ".name", "String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
      }
      JsonNode schema = tool.get("input_schema");
      if (schema == null || schema.isNull()) {
        throw field(where + ".input_schema", "Field required");
      }
      if (!schema.isObject()) {
        throw field(where + ".input_schema", "Input should be a valid dictionary");
      }
      tools.add(new Tool(name.asText(), tool.path("description").asText(""), schema));
    }
    return tools;
  }

  private static ToolChoice toolChoice(JsonNode node, List<Tool> tools) {
    if (node == null || node.isNull()) {
      return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
    }
    if (!node.isObject()) {
      throw field("tool_choice", "Input should be a valid dictionary");
    }
    String type = node.path("type").asText("");
    ToolChoice choice;
    switch (type) {
      case "auto" -> choice = ToolChoice.AUTO;
      case "any" -> choice = ToolChoice.REQUIRED;
      case "none" -> choice = ToolChoice.NONE;
      case "tool" -> {
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual()) {
          throw field("tool_choice.tool.name", "Field required");
        }
        choice = ToolChoice.named(name.asText());
      }
      default -> throw field("tool_choice",
          "Input tag '" + type + "' found using 'type' does not match any of the expected tags:"
              + " 'auto', 'any', 'tool', 'none'");
    }
    if (tools.isEmpty() && choice.kind() != ToolChoice.Kind.NONE) {
      throw invalid("tool_choice may only be specified while providing tools.");
    }
    if (choice.kind() == ToolChoice.Kind.NAMED
        && tools.stream().noneMatch(t -> t.name().equals(choice.name()))) {
      throw invalid("tool_choice.name: Tool '" + choice.name() + "' not found in tools");
    }
    return choice;
  }

  /** The thinking budget in tokens, or null when thinking is off. */
  private static Integer thinking(JsonNode node, Integer maxTokens, ToolChoice toolChoice) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw field("thinking", "Input should be a valid dictionary");
    }
    String type = node.path("type").asText("");
    Integer budget;
    switch (type) {
      case "disabled" -> {
        return null;
      }
      case "enabled" -> {
        JsonNode b = node.get("budget_tokens");
        if (b == null || b.isNull()) {
          throw field("thinking.enabled.budget_tokens", "Field required");
        }
        if (!b.isIntegralNumber() || !b.canConvertToInt()) {
          throw field("thinking.enabled.budget_tokens", "Input should be a valid integer");
        }
        if (b.intValue() < MIN_THINKING_BUDGET) {
          throw field("thinking.enabled.budget_tokens",
              "Input should be greater than or equal to " + MIN_THINKING_BUDGET);
        }
        budget = b.intValue();
        if (maxTokens != null && maxTokens <= budget) {
          throw invalid("`max_tokens` must be greater than `thinking.budget_tokens`.");
        }
      }
      // The model decides how long to think: give it half of what the answer may take. Newer SDKs
      // also send between_tools, thinking between tool calls: the same here, with one call.
      case "adaptive", "between_tools" -> budget = maxTokens == null ? MIN_THINKING_BUDGET
          : Math.max(1, maxTokens / 2);
      default -> throw field("thinking",
          "Input tag '" + type + "' found using 'type' does not match any of the expected tags:"
              + " 'enabled', 'disabled', 'adaptive', 'between_tools'");
    }
    if (toolChoice.kind() == ToolChoice.Kind.REQUIRED
        || toolChoice.kind() == ToolChoice.Kind.NAMED) {
      throw invalid("Thinking may not be enabled when tool_choice forces tool use.");
    }
    return budget;
  }

  private static List<String> stopSequences(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw field("stop_sequences", "Input should be a valid list");
    }
    List<String> stops = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw field("stop_sequences." + i, "Input should be a valid string");
      }
      stops.add(node.get(i).asText());
    }
    return stops;
  }

  /**
   * The JSON Schema of a structured-output format ({@code output_config.format}, or the beta's
   * {@code output_format}), or null for none.
   */
  private static JsonNode outputSchema(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!"json_schema".equals(node.path("type").asText())) {
      throw field(where + ".type", "Input should be 'json_schema'");
    }
    JsonNode schema = node.get("schema");
    if (schema == null || !schema.isObject()) {
      throw field(where + ".schema", "Field required");
    }
    return schema;
  }

  private static void checkRange(JsonNode body, String name, double min, double max) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isNumber()) {
      throw field(name, "Input should be a valid number");
    }
    if (node.doubleValue() < min) {
      throw field(name, "Input should be greater than or equal to " + trim(min));
    }
    if (node.doubleValue() > max) {
      throw field(name, "Input should be less than or equal to " + trim(max));
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static ApiException field(String path, String problem) {
    return invalid(path + ": " + problem);
  }

  static ApiException invalid(String message) {
    return ApiException.invalid(message, null, null);
  }
}
