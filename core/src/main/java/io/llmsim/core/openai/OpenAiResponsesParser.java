package io.llmsim.core.openai;

import static io.llmsim.core.openai.OpenAiFields.invalidValue;
import static io.llmsim.core.openai.OpenAiFields.missing;
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
 * Parses and validates a {@code POST /v1/responses} body (WIRE-FORMATS §3.1) into a
 * {@link ResponsesRequest}. {@code instructions} and the {@code input} items become the messages
 * of a {@link ChatRequest}; earlier function calls and their outputs count as prompt text, and a
 * conversation that ends with a {@code function_call_output} is answered in text, as in chat.
 * Hosted tools (web search, file search, ...) are accepted and echoed but never called.
 *
 * <p>Two leniencies, for testing: {@code previous_response_id} is accepted and echoed although
 * nothing is stored, and an integer {@code seed} (not part of the real API) fixes the answer.
 */
public final class OpenAiResponsesParser {
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
  /** Content part types of a message item. */
  private static final Set<String> PART_TYPES = Set.of("input_text", "input_image", "output_text",
      "refusal", "input_file", "computer_screenshot", "summary_text");
  /** Input item types that carry nothing synthesis needs: skipped. */
  private static final Set<String> SKIPPED_ITEMS =
      Set.of(
          "reasoning", "item_reference", "web_search_call", "file_search_call", "computer_call",
          "computer_call_output", "code_interpreter_call", "image_generation_call",
          "local_shell_call", "local_shell_call_output", "mcp_list_tools", "mcp_approval_request",
          "mcp_approval_response", "mcp_call", "custom_tool_call", "custom_tool_call_output",
          "compaction");

  private OpenAiResponsesParser() {}

  public static ResponsesRequest parse(JsonNode body) {
    OpenAiFields.object(body);
    String model = OpenAiFields.model(body);
    String instructions = OpenAiFields.optionalString(body, "instructions", "");

    List<Message> messages = new ArrayList<>();
    if (instructions != null) {
      messages.add(new Message("developer", instructions, null));
    }
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      if (OpenAiFields.absent(body, "previous_response_id")
          && OpenAiFields.absent(body, "conversation")
          && OpenAiFields.absent(body, "prompt")) {
        throw missing("input");
      }
    } else if (input.isTextual()) {
      messages.add(new Message("user", input.asText(), null));
    } else if (input.isArray()) {
      for (int i = 0; i < input.size(); i++) {
        Message message = item(input.get(i), "input[" + i + "]");
        if (message != null) {
          messages.add(message);
        }
      }
    } else {
      throw wrongType("input", "a string or an array", input);
    }

    boolean stream = OpenAiFields.optionalBoolean(body, "stream", false, "");
    JsonNode streamOptions = OpenAiFields.streamOptions(body, stream);
    boolean includeObfuscation =
        streamOptions == null
            || OpenAiFields.optionalBoolean(
                streamOptions, "include_obfuscation", true, "stream_options.");
    if (OpenAiFields.optionalBoolean(body, "background", false, "")) {
      throw ApiException.invalid(
          "Background responses are not simulated: llmsim stores no responses to poll. Send the"
              + " request without 'background'.",
          "background", "unsupported_parameter");
    }

    JsonNode toolsNode = body.get("tools");
    List<Tool> tools = tools(toolsNode);
    JsonNode toolChoiceNode = body.get("tool_choice");
    ToolChoice toolChoice = toolChoice(toolChoiceNode, tools);

    JsonNode format = null;
    String verbosity = null;
    JsonNode text = body.get("text");
    if (text != null && !text.isNull()) {
      if (!text.isObject()) {
        throw wrongType("text", "an object", text);
      }
      format = text.get("format");
      if (format != null && format.isNull()) {
        format = null;
      }
      verbosity = OpenAiFields.optionalString(text, "verbosity", "text.");
      if (verbosity != null && !Set.of("low", "medium", "high").contains(verbosity)) {
        throw invalidValue("text.verbosity", verbosity, "'low', 'medium', and 'high'");
      }
    }
    JsonNode responseSchema = null;
    boolean jsonObject = false;
    if (format != null) {
      if (!format.isObject()) {
        throw wrongType("text.format", "an object", format);
      }
      String type = OpenAiFields.optionalString(format, "type", "text.format.");
      if (type == null) {
        throw missing("text.format.type");
      }
      switch (type) {
        case "text" -> { }
        case "json_object" -> jsonObject = true;
        case "json_schema" -> {
          if (OpenAiFields.optionalString(format, "name", "text.format.") == null) {
            throw missing("text.format.name");
          }
          JsonNode schema = format.get("schema");
          if (schema == null || schema.isNull()) {
            throw missing("text.format.schema");
          }
          if (!schema.isObject()) {
            throw wrongType("text.format.schema", "an object", schema);
          }
          responseSchema = schema;
        }
        default -> throw invalidValue(
            "text.format.type", type, "'text', 'json_object', and 'json_schema'");
      }
    }

    Integer maxOutputTokens =
        OpenAiFields.optionalInt(body, "max_output_tokens", 16, Integer.MAX_VALUE);
    Double temperature = OpenAiFields.optionalNumber(body, "temperature", 0, 2);
    Double topP = OpenAiFields.optionalNumber(body, "top_p", 0, 1);
    boolean parallel = OpenAiFields.optionalBoolean(body, "parallel_tool_calls", true, "");
    boolean store = OpenAiFields.optionalBoolean(body, "store", true, "");
    String previous = OpenAiFields.optionalString(body, "previous_response_id", "");
    String user = OpenAiFields.optionalString(body, "user", "");
    String truncation = OpenAiFields.optionalString(body, "truncation", "");
    if (truncation != null && !truncation.equals("auto") && !truncation.equals("disabled")) {
      throw invalidValue("truncation", truncation, "'auto' and 'disabled'");
    }
    JsonNode reasoning = optionalObject(body, "reasoning");
    JsonNode metadata = optionalObject(body, "metadata");
    Long seed = OpenAiFields.optionalSeed(body);

    ChatRequest chat =
        new ChatRequest(
            model, messages, tools, toolChoice, responseSchema, jsonObject, maxOutputTokens, 1,
            stream, false, includeObfuscation, seed);
    return new ResponsesRequest(
        chat, instructions, maxOutputTokens, format, verbosity,
        toolsNode == null || toolsNode.isNull() ? null : toolsNode,
        toolChoiceNode == null || toolChoiceNode.isNull() ? null : toolChoiceNode,
        reasoning, metadata, temperature, topP, parallel, store, previous, truncation, user);
  }

  /** One input item as a message, or null for items that carry no prompt text. */
  private static Message item(JsonNode node, String where) {
    if (!node.isObject()) {
      throw wrongType(where, "an object", node);
    }
    String type = OpenAiFields.optionalString(node, "type", where + ".");
    if (type == null || type.equals("message")) {
      return message(node, where);
    }
    switch (type) {
      case "function_call" -> {
        requireString(node, "call_id", where);
        String name = requireString(node, "name", where);
        String arguments = requireString(node, "arguments", where);
        // An earlier call is part of the prompt: count its name and arguments as text.
        return new Message("assistant", name + arguments, null);
      }
      case "function_call_output" -> {
        requireString(node, "call_id", where);
        JsonNode output = node.get("output");
        if (output == null || output.isNull()) {
          throw missing(where + ".output");
        }
        return new Message("tool", output.isTextual() ? output.asText() : text(output), null);
      }
      default -> {
        if (SKIPPED_ITEMS.contains(type)) {
          return null;
        }
        throw invalidValue(
            where + ".type", type,
            "'message', 'function_call', 'function_call_output', 'reasoning', 'item_reference',"
                + " and the hosted tools' call items");
      }
    }
  }

  private static Message message(JsonNode node, String where) {
    JsonNode roleNode = node.get("role");
    if (roleNode == null || roleNode.isNull()) {
      throw missing(where + ".role");
    }
    String role = roleNode.asText();
    if (!roleNode.isTextual() || !ROLES.contains(role)) {
      throw invalidValue(where + ".role", role, "'assistant', 'system', 'developer', and 'user'");
    }
    JsonNode content = node.get("content");
    if (content == null || content.isNull()) {
      throw missing(where + ".content");
    }
    if (content.isTextual()) {
      return new Message(role, content.asText(), null);
    }
    if (!content.isArray()) {
      throw wrongType(where + ".content", "a string or an array", content);
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      if (!part.isObject()) {
        throw wrongType(where + ".content[" + i + "]", "an object", part);
      }
      if (!part.path("type").isTextual()) {
        throw missing(where + ".content[" + i + "].type");
      }
      String type = part.get("type").asText();
      if (!PART_TYPES.contains(type)) {
        throw invalidValue(where + ".content[" + i + "].type", type,
            "'input_text', 'input_image', 'output_text', 'refusal', 'input_file', "
                + "'computer_screenshot', and 'summary_text'");
      }
    }
    return new Message(role, text(content), null);
  }

  /** The text of content parts: {@code input_text}, {@code output_text} and refusals. */
  private static String text(JsonNode parts) {
    StringBuilder text = new StringBuilder();
    if (parts.isArray()) {
      for (JsonNode part : parts) {
        switch (part.path("type").asText("")) {
          case "input_text", "output_text" -> text.append(part.path("text").asText(""));
          case "refusal" -> text.append(part.path("refusal").asText(""));
          default -> { }
        }
      }
    }
    return text.toString();
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
      String type = OpenAiFields.optionalString(tool, "type", where + ".");
      if (type == null) {
        throw missing(where + ".type");
      }
      if (!type.equals("function")) {
        continue; // a hosted tool: echoed, never called
      }
      tools.add(OpenAiFields.functionTool(where,
          OpenAiFields.optionalString(tool, "name", where + "."),
          OpenAiFields.optionalString(tool, "description", where + "."), tool.get("parameters")));
    }
    return tools;
  }

  private static ToolChoice toolChoice(JsonNode node, List<Tool> tools) {
    if (node == null || node.isNull()) {
      return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
    }
    if (node.isTextual()) {
      ToolChoice choice =
          switch (node.asText()) {
            case "none" -> ToolChoice.NONE;
            case "auto" -> ToolChoice.AUTO;
            case "required" -> ToolChoice.REQUIRED;
            default -> throw invalidValue(
                "tool_choice", node.asText(), "'none', 'auto', and 'required'");
          };
      if (choice == ToolChoice.REQUIRED && tools.isEmpty()) {
        throw onlyWithTools();
      }
      return tools.isEmpty() ? ToolChoice.NONE : choice;
    }
    if (!node.isObject()) {
      throw wrongType("tool_choice", "a string or an object", node);
    }
    String type = OpenAiFields.optionalString(node, "type", "tool_choice.");
    if (type == null) {
      throw missing("tool_choice.type");
    }
    switch (type) {
      case "function" -> {
        String name = OpenAiFields.optionalString(node, "name", "tool_choice.");
        if (name == null || name.isEmpty()) {
          throw missing("tool_choice.name");
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
          throw ApiException.invalid(
              "Invalid value for 'tool_choice': function '" + name + "' is not one of the"
                  + " provided tools.",
              "tool_choice", "invalid_value");
        }
        return ToolChoice.named(name);
      }
      case "allowed_tools" -> {
        String mode = OpenAiFields.optionalString(node, "mode", "tool_choice.");
        if (tools.isEmpty()) {
          return ToolChoice.NONE;
        }
        return "required".equals(mode) ? ToolChoice.REQUIRED : ToolChoice.AUTO;
      }
      default -> {
        // A hosted tool is forced: it cannot be simulated, so the answer is text.
        return ToolChoice.NONE;
      }
    }
  }

  private static ApiException onlyWithTools() {
    return ApiException.invalid(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are"
            + " specified.",
        "tool_choice", null);
  }

  private static String requireString(JsonNode node, String field, String where) {
    String value = OpenAiFields.optionalString(node, field, where + ".");
    if (value == null) {
      throw missing(where + "." + field);
    }
    return value;
  }

  private static JsonNode optionalObject(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw wrongType(field, "an object", node);
    }
    return node;
  }
}
