package io.llmsim.core.openai;

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
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private OpenAiChatParser() {}

  public static ChatRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
              + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what"
              + " was sent was not valid JSON.)",
          null, null);
    }
    String model = requiredString(body, "model");
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

    boolean stream = optionalBoolean(body, "stream", false);
    JsonNode streamOptions = body.get("stream_options");
    boolean includeUsage = false;
    boolean includeObfuscation = true;
    if (streamOptions != null && !streamOptions.isNull()) {
      if (!stream) {
        throw ApiException.invalid(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            "stream_options", "invalid_value");
      }
      if (!streamOptions.isObject()) {
        throw wrongType("stream_options", "an object", streamOptions);
      }
      includeUsage = optionalBoolean(streamOptions, "include_usage", false, "stream_options.");
      includeObfuscation =
          optionalBoolean(streamOptions, "include_obfuscation", true, "stream_options.");
    }

    Integer maxTokens = optionalPositiveInt(body, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = optionalPositiveInt(body, "max_tokens");
    }
    Integer n = optionalPositiveInt(body, "n");
    if (n != null && n > 128) {
      throw ApiException.invalid(
          "Invalid 'n': integer above maximum value. Expected a value <= 128, but got " + n
              + " instead.",
          "n", "integer_above_max_value");
    }

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

    Long seed = null;
    JsonNode seedNode = body.get("seed");
    if (seedNode != null && !seedNode.isNull()) {
      if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
        throw wrongType("seed", "an integer", seedNode);
      }
      seed = seedNode.longValue();
    }
    checkRange(body, "temperature", 0, 2);
    checkRange(body, "top_p", 0, 1);
    checkRange(body, "presence_penalty", -2, 2);
    checkRange(body, "frequency_penalty", -2, 2);

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
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        throw missing(where + ".function.name");
      }
      if (!name.asText().matches("[a-zA-Z0-9_-]{1,64}")) {
        throw ApiException.invalid(
            "Invalid '" + where + ".function.name': string does not match pattern. Expected a"
                + " string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
            where + ".function.name", "invalid_value");
      }
      JsonNode parameters = function.get("parameters");
      if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
        throw wrongType(where + ".function.parameters", "an object", parameters);
      }
      tools.add(
          new Tool(
              name.asText(),
              function.path("description").asText(""),
              parameters == null || parameters.isNull() ? null : parameters));
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

  private static String requiredString(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if ("model".equals(field)) {
        throw ApiException.invalid("you must provide a model parameter", null, null);
      }
      throw missing(field);
    }
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    return node.asText();
  }

  private static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
    return optionalBoolean(body, field, fallback, "");
  }

  private static boolean optionalBoolean(
      JsonNode body, String field, boolean fallback, String prefix) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw wrongType(prefix + field, "a boolean", node);
    }
    return node.asBoolean();
  }

  private static Integer optionalPositiveInt(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw wrongType(field, "an integer", node);
    }
    int value = node.intValue();
    if (value < 1) {
      throw ApiException.invalid(
          "Invalid '" + field + "': integer below minimum value. Expected a value >= 1, but got "
              + value + " instead.",
          field, "integer_below_min_value");
    }
    return value;
  }

  private static void checkRange(JsonNode body, String field, double min, double max) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isNumber()) {
      throw wrongType(field, "a number", node);
    }
    double value = node.doubleValue();
    if (value < min) {
      throw ApiException.invalid(
          "Invalid '" + field + "': decimal below minimum value. Expected a value >= "
              + OpenAiChatParser.trim(min) + ", but got " + node.asText() + " instead.",
          field, "decimal_below_min_value");
    }
    if (value > max) {
      throw ApiException.invalid(
          "Invalid '" + field + "': decimal above maximum value. Expected a value <= "
              + OpenAiChatParser.trim(max) + ", but got " + node.asText() + " instead.",
          field, "decimal_above_max_value");
    }
  }

  static ApiException missing(String param) {
    return ApiException.invalid(
        "Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
  }

  static ApiException wrongType(String param, String expected, JsonNode got) {
    return ApiException.invalid(
        "Invalid type for '" + param + "': expected " + expected + ", but got "
            + describe(got) + " instead.",
        param, "invalid_type");
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a decimal";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "null";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
