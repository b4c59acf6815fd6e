package io.llmsim.core.openai;

import static io.llmsim.core.openai.OpenAiFields.missing;
import static io.llmsim.core.openai.OpenAiFields.optionalBoolean;
import static io.llmsim.core.openai.OpenAiFields.wrongType;

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
 * Parses and validates an OpenAI {@code POST /v1/chat/completions} body into a {@link ChatRequest}.
 * Errors use OpenAI's wording and codes ({@code missing_required_parameter}, {@code invalid_type},
 * {@code invalid_value}, ...) and name the offending field in {@code param}.
 */
public final class OpenAiChatParser {
  /** Content part types, whatever the role (OpenAI checks the union first). */
  private static final Set<String> PART_TYPES =
      Set.of("text", "image_url", "input_audio", "refusal", "audio", "file");
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private OpenAiChatParser() {}

  public static ChatRequest parse(JsonNode body) {
    OpenAiFields.object(body);
    String model = OpenAiFields.model(body);
    JsonNode messagesNode = body.get("messages");
    if (messagesNode == null || messagesNode.isNull()) {
      throw missing("messages");
    }
    if (!messagesNode.isArray()) {
      throw wrongType("messages", "an array", messagesNode);
    }
    if (messagesNode.isEmpty()) {
      throw ApiException.invalid(
          "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an"
              + " empty array instead.",
          "messages", "empty_array");
    }
    List<Message> messages = new ArrayList<>(messagesNode.size());
    for (int i = 0; i < messagesNode.size(); i++) {
      messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
    }

    boolean stream = optionalBoolean(body, "stream", false, "");
    JsonNode streamOptions = OpenAiFields.streamOptions(body, stream);
    boolean includeUsage = false;
    boolean includeObfuscation = true;
    if (streamOptions != null) {
      includeUsage = optionalBoolean(streamOptions, "include_usage", false, "stream_options.");
      includeObfuscation =
          optionalBoolean(streamOptions, "include_obfuscation", true, "stream_options.");
    }

    Integer maxTokens = OpenAiFields.optionalInt(
        body, "max_completion_tokens", 1, Integer.MAX_VALUE);
    if (maxTokens == null) {
      maxTokens = OpenAiFields.optionalInt(body, "max_tokens", 1, Integer.MAX_VALUE);
    }
    Integer n = OpenAiFields.optionalInt(body, "n", 1, 128);

    List<Tool> tools = tools(body.get("tools"));
    ToolChoice toolChoice = toolChoice(body.get("tool_choice"), tools);

    JsonNode responseSchema = null;
    boolean jsonObject = false;
    JsonNode format = body.get("response_format");
    if (format != null && !format.isNull()) {
      if (!format.isObject()) {
        throw wrongType("response_format", "an object", format);
      }
      String type = format.path("type").asText("");
      switch (type) {
        case "text" -> { }
        case "json_object" -> jsonObject = true;
        case "json_schema" -> {
          JsonNode schema = format.path("json_schema").get("schema");
          if (!format.path("json_schema").isObject()) {
            throw missing("response_format.json_schema");
          }
          responseSchema = schema == null || schema.isNull()
              ? io.llmsim.core.json.Json.MAPPER.createObjectNode().put("type", "object")
              : schema;
        }
        default -> throw ApiException.invalid(
            "Invalid value: '" + type + "'. Supported values are: 'text', 'json_object', and"
                + " 'json_schema'.",
            "response_format.type", "invalid_value");
      }
    }

    Long seed = OpenAiFields.optionalSeed(body);
    OpenAiFields.optionalNumber(body, "temperature", 0, 2);
    OpenAiFields.optionalNumber(body, "top_p", 0, 1);
    OpenAiFields.optionalNumber(body, "presence_penalty", -2, 2);
    OpenAiFields.optionalNumber(body, "frequency_penalty", -2, 2);
    OpenAiFields.optionalStop(body);
    OpenAiFields.optionalLogitBias(body);

    return new ChatRequest(
        model, messages, tools, toolChoice, responseSchema, jsonObject, maxTokens,
        n == null ? 1 : n, stream, includeUsage, includeObfuscation, seed);
  }

  private static Message message(JsonNode node, String where) {
    if (!node.isObject()) {
      throw wrongType(where, "an object", node);
    }
    JsonNode roleNode = node.get("role");
    if (roleNode == null || roleNode.isNull()) {
      throw missing(where + ".role");
    }
    String role = roleNode.asText();
    if (!roleNode.isTextual() || !ROLES.contains(role)) {
      throw ApiException.invalid(
          "Invalid value: '" + role + "'. Supported values are: 'system', 'assistant', 'user',"
              + " 'function', 'tool', and 'developer'.",
          where + ".role", "invalid_value");
    }
    JsonNode content = node.get("content");
    boolean hasToolCalls = node.path("tool_calls").isArray() && !node.path("tool_calls").isEmpty();
    if ((content == null || content.isNull()) && !("assistant".equals(role))) {
      throw missing(where + ".content");
    }
    if ("tool".equals(role) && !node.path("tool_call_id").isTextual()) {
      throw missing(where + ".tool_call_id");
    }
    StringBuilder text = new StringBuilder();
    if (content != null && content.isTextual()) {
      text.append(content.asText());
    } else if (content != null && content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        JsonNode part = content.get(i);
        String type = part.path("type").asText("");
        if (type.isEmpty()) {
          throw missing(where + ".content[" + i + "].type");
        }
        if (!PART_TYPES.contains(type)) {
          throw OpenAiFields.invalidValue(where + ".content[" + i + "].type", type,
              "'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'");
        }
        if ("text".equals(type)) {
          text.append(part.path("text").asText(""));
        }
      }
    } else if (content != null && !content.isNull()) {
      throw wrongType(where + ".content", "a string or an array", content);
    }
    if (hasToolCalls) {
      // Earlier tool calls are part of the prompt: count their arguments as text.
      for (JsonNode call : node.get("tool_calls")) {
        text.append(call.path("function").path("name").asText(""))
            .append(call.path("function").path("arguments").asText(""));
      }
    }
    JsonNode name = node.get("name");
    return new Message(role, text.toString(), name != null && name.isTextual() ? name.asText() : null);
  }

  private static List<Tool> tools(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw wrongType("tools", "an array", node);
    }
    List<Tool> tools = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode tool = node.get(i);
      String where = "tools[" + i + "]";
      if (!tool.isObject()) {
        throw wrongType(where, "an object", tool);
      }
      String type = tool.path("type").asText("");
      if (!"function".equals(type)) {
        throw ApiException.invalid(
            "Invalid value: '" + type + "'. Supported values are: 'function'.",
            where + ".type", "invalid_value");
      }
      JsonNode function = tool.get("function");
      if (function == null || !function.isObject()) {
        throw missing(where + ".function");
      }
      JsonNode name = function.get("name");
      tools.add(OpenAiFields.functionTool(where + ".function",
          name != null && name.isTextual() ? name.asText() : null,
          function.path("description").asText(""), function.get("parameters")));
    }
    return tools;
  }

  private static ToolChoice toolChoice(JsonNode node, List<Tool> tools) {
    if (node == null || node.isNull()) {
      return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
    }
    if (tools.isEmpty() && !(node.isTextual() && node.asText().equals("none"))) {
      throw ApiException.invalid(
          "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are"
              + " specified.",
          "tool_choice", null);
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "none":
          return ToolChoice.NONE;
        case "auto":
          return ToolChoice.AUTO;
        case "required":
          return ToolChoice.REQUIRED;
        default:
          throw ApiException.invalid(
              "Invalid value: '" + node.asText() + "'. Supported values are: 'none', 'auto', and"
                  + " 'required'.",
              "tool_choice", "invalid_value");
      }
    }
    if (node.isObject()) {
      String name = node.path("function").path("name").asText("");
      if (name.isEmpty()) {
        throw missing("tool_choice.function.name");
      }
      boolean known = tools.stream().anyMatch(t -> t.name().equals(name));
      if (!known) {
        throw ApiException.invalid(
            "Invalid value for 'tool_choice': function '" + name + "' is not one of the provided"
                + " tools.",
            "tool_choice", "invalid_value");
      }
      return ToolChoice.named(name);
    }
    throw wrongType("tool_choice", "a string or an object", node);
  }
}
