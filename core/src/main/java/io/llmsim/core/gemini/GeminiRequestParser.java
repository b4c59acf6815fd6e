package io.llmsim.core.gemini;

import static io.llmsim.core.gemini.ProtoJson.get;
import static io.llmsim.core.gemini.ProtoJson.invalidValue;
import static io.llmsim.core.gemini.ProtoJson.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.json.Json;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.Tool;
import io.llmsim.core.model.ToolChoice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates a Gemini {@code GenerateContentRequest} (WIRE-FORMATS §6.1) into a
 * {@link GeminiRequest}. Fields are read as Google's proto3 JSON front end reads them (see
 * {@link ProtoJson}); unknown fields are ignored rather than refused, so newer SDKs keep working.
 * Errors are 400 {@code INVALID_ARGUMENT} in Google's wording and name the field by its path.
 */
public final class GeminiRequestParser {
  private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}");
  private static final Set<String> DATA_FIELDS =
      Set.of("text", "inlineData", "fileData", "functionCall", "functionResponse",
          "executableCode", "codeExecutionResult");
  private static final Set<String> MIME_TYPES =
      Set.of("text/plain", "application/json", "application/xml", "application/yaml",
          "text/x.enum");
  private static final int MAX_CANDIDATES = 8;

  private final String requestName;
  private final String prefix;

  private int mediaParts;

  private GeminiRequestParser(String requestName, String prefix) {
    this.requestName = requestName;
    this.prefix = prefix;
  }

  /**
   * @param outputTokenLimit the model's output limit, or null for a model llmsim does not list
   */
  public static GeminiRequest parse(
      JsonNode body, String model, boolean stream, Integer outputTokenLimit) {
    return new GeminiRequestParser("GenerateContentRequest", "")
        .request(body, model, stream, outputTokenLimit);
  }

  /**
   * A {@code CountTokensRequest}: {@code contents} alone, or a whole
   * {@code generateContentRequest} (whose system instruction and tools count too).
   */
  public static GeminiRequest parseCountTokens(JsonNode body, String model) {
    rootMustBeObject(body);
    JsonNode nested =
        ProtoJson.object(body, "generateContentRequest", "", "GenerateContentRequest");
    if (nested != null) {
      return new GeminiRequestParser("CountTokensRequest", "generate_content_request")
          .request(nested, model, false, null);
    }
    return new GeminiRequestParser("CountTokensRequest", "").request(body, model, false, null);
  }

  private GeminiRequest request(
      JsonNode body, String model, boolean stream, Integer outputTokenLimit) {
    rootMustBeObject(body);
    List<Message> messages = new ArrayList<>();
    JsonNode system = ProtoJson.object(body, "systemInstruction", prefix, "Content");
    if (system != null) {
      messages.add(new Message("system", systemText(system, path(prefix, "systemInstruction")),
          null));
    }
    JsonNode contents = ProtoJson.array(body, "contents", prefix, "Content");
    if (contents == null || contents.isEmpty()) {
      throw invalid(path(prefix, "contents"), "contents is not specified");
    }
    for (int i = 0; i < contents.size(); i++) {
      messages.add(content(contents.get(i), path(prefix, "contents") + "[" + i + "]"));
    }

    List<Tool> declared = tools(ProtoJson.array(body, "tools", prefix, "Tool"));
    List<Tool> callable = new ArrayList<>(declared);
    ToolChoice choice = toolChoice(body, declared, callable);

    GenerationConfig config = generationConfig(body, outputTokenLimit);
    ChatRequest chat =
        new ChatRequest(
            model, messages, callable, choice, config.schema, config.jsonObject,
            config.maxOutputTokens, config.candidates, stream, false, false, config.seed);
    return new GeminiRequest(chat, declared, mediaParts, config.enumOutput);
  }

  private static void rootMustBeObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(
          "Invalid JSON payload received. Unknown name \"\": Root element must be a message.",
          null, null);
    }
  }

  private String systemText(JsonNode system, String where) {
    JsonNode parts = ProtoJson.array(system, "parts", where, "Part");
    StringBuilder text = new StringBuilder();
    if (parts != null) {
      for (int j = 0; j < parts.size(); j++) {
        text.append(part(parts.get(j), where + ".parts[" + j + "]").text);
      }
    }
    return text.toString();
  }

  private Message content(JsonNode content, String where) {
    if (!content.isObject()) {
      throw invalidValue(where, "Content", content);
    }
    String role = ProtoJson.text(content, "role", where);
    if (role == null || role.isEmpty()) {
      role = "user"; // a single-turn request may leave the role out
    }
    if (!role.equals("user") && !role.equals("model") && !role.equals("function")) {
      throw ApiException.invalid("Please use a valid role: user, model.", path(where, "role"),
          null);
    }
    JsonNode parts = ProtoJson.array(content, "parts", where, "Part");
    if (parts == null || parts.isEmpty()) {
      throw invalid(where + ".parts", "contents.parts must not be empty.");
    }
    StringBuilder text = new StringBuilder();
    boolean functionResponse = false;
    for (int j = 0; j < parts.size(); j++) {
      Part part = part(parts.get(j), where + ".parts[" + j + "]");
      text.append(part.text);
      functionResponse |= part.functionResponse;
    }
    // A turn of function results is a tool message: after it the model answers in text.
    String neutral =
        functionResponse || role.equals("function") ? "tool"
            : role.equals("model") ? "assistant" : "user";
    return new Message(neutral, text.toString(), null);
  }

  private record Part(String text, boolean functionResponse) {}

  private Part part(JsonNode part, String where) {
    if (!part.isObject()) {
      throw invalidValue(where, "Part", part);
    }
    boolean hasData = false;
    for (String field : DATA_FIELDS) {
      hasData |= get(part, field) != null;
    }
    if (!hasData) {
      throw invalid(where + ".data", "required oneof field 'data' must have one initialized field");
    }
    String text = ProtoJson.text(part, "text", where);
    if (text != null) {
      return new Part(text, false);
    }
    if (get(part, "inlineData") != null || get(part, "fileData") != null) {
      mediaParts++;
      return new Part("", false);
    }
    JsonNode call = ProtoJson.object(part, "functionCall", where, "FunctionCall");
    if (call != null) {
      String name = requiredName(call, path(where, "functionCall"));
      JsonNode args = get(call, "args");
      // Earlier calls are part of the prompt: count their arguments as text.
      return new Part(name + (args == null ? "" : args.toString()), false);
    }
    JsonNode response = ProtoJson.object(part, "functionResponse", where, "FunctionResponse");
    if (response != null) {
      String name = requiredName(response, path(where, "functionResponse"));
      JsonNode value = get(response, "response");
      return new Part(name + (value == null ? "" : value.toString()), true);
    }
    return new Part("", false); // executable code and its result: no text of note
  }

  private String requiredName(JsonNode node, String where) {
    String name = ProtoJson.text(node, "name", where);
    if (name == null || name.isEmpty()) {
      throw invalid(path(where, "name"), "Name cannot be empty.");
    }
    return name;
  }

  private List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    if (tools == null) {
      return out;
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      String where = path(prefix, "tools") + "[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!tool.isObject()) {
        throw invalidValue(where, "Tool", tool);
      }
      // googleSearch, codeExecution, urlContext and the like are accepted and never called.
      JsonNode declarations = ProtoJson.array(tool, "functionDeclarations", where,
          "FunctionDeclaration");
      if (declarations == null) {
        continue;
      }
      for (int j = 0; j < declarations.size(); j++) {
        String at = path(where, "functionDeclarations") + "[" + j + "]";
        Tool declared = declaration(declarations.get(j), at);
        if (!names.add(declared.name())) {
          throw invalid(path(at, "name"), "Duplicate function declaration name: "
              + declared.name() + ".");
        }
        out.add(declared);
      }
    }
    return out;
  }

  private Tool declaration(JsonNode node, String where) {
    if (!node.isObject()) {
      throw invalidValue(where, "FunctionDeclaration", node);
    }
    String name = ProtoJson.text(node, "name", where);
    if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
      throw invalid(path(where, "name"),
          "Invalid function name. Must start with a letter or an underscore. Must be"
              + " alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes"
              + " (-), with a maximum length of 64.");
    }
    String description = ProtoJson.text(node, "description", where);
    JsonNode parameters = ProtoJson.object(node, "parameters", where, "Schema");
    JsonNode jsonSchema = get(node, "parametersJsonSchema");
    if (parameters != null && jsonSchema != null) {
      throw invalid(path(where, "parametersJsonSchema"),
          "parameters and parameters_json_schema cannot both be set.");
    }
    JsonNode schema = jsonSchema != null ? jsonSchema : GeminiSchemas.toJsonSchema(parameters);
    return new Tool(name, description == null ? "" : description, schema);
  }

  /** Fills {@code callable} with the tools the model may call under the calling mode. */
  private ToolChoice toolChoice(JsonNode body, List<Tool> declared, List<Tool> callable) {
    String where = path(path(prefix, "toolConfig"), "functionCallingConfig");
    JsonNode toolConfig = ProtoJson.object(body, "toolConfig", prefix, "ToolConfig");
    JsonNode config = toolConfig == null ? null
        : ProtoJson.object(toolConfig, "functionCallingConfig", path(prefix, "toolConfig"),
            "FunctionCallingConfig");
    String mode = config == null ? null : ProtoJson.text(config, "mode", where);
    JsonNode allowed = config == null ? null
        : ProtoJson.array(config, "allowedFunctionNames", where, "TYPE_STRING");
    if (mode == null || mode.equals("MODE_UNSPECIFIED")) {
      mode = "AUTO";
    }
    switch (mode) {
      case "AUTO", "ANY", "NONE", "VALIDATED" -> { }
      default -> throw invalidValue(path(where, "mode"), "FunctionCallingConfig.Mode",
          get(config, "mode"));
    }
    if (config != null && declared.isEmpty() && !mode.equals("NONE")) {
      throw invalid(path(where, "mode"),
          "function calling config is set without function_declarations.");
    }
    if (allowed != null && !allowed.isEmpty()) {
      if (!mode.equals("ANY") && !mode.equals("VALIDATED")) {
        throw invalid(path(where, "allowedFunctionNames"),
            "allowed_function_names should only be set when the mode is ANY or VALIDATED.");
      }
      callable.clear();
      for (int i = 0; i < allowed.size(); i++) {
        String name = allowed.get(i).asText();
        Tool tool = declared.stream().filter(t -> t.name().equals(name)).findFirst()
            .orElseThrow(() -> invalid(path(where, "allowedFunctionNames"),
                "function '" + name + "' is not declared in tools."));
        if (!callable.contains(tool)) {
          callable.add(tool);
        }
      }
    }
    if (declared.isEmpty() || mode.equals("NONE")) {
      callable.clear();
      return ToolChoice.NONE;
    }
    if (mode.equals("ANY")) {
      return callable.size() == 1 ? ToolChoice.named(callable.get(0).name())
          : ToolChoice.REQUIRED;
    }
    // AUTO, and VALIDATED (text or a call, but only to the allowed functions).
    return ToolChoice.AUTO;
  }

  private static final class GenerationConfig {
    Integer maxOutputTokens;
    int candidates = 1;
    Long seed;
    JsonNode schema;
    boolean jsonObject;
    boolean enumOutput;
  }

  private GenerationConfig generationConfig(JsonNode body, Integer outputTokenLimit) {
    GenerationConfig out = new GenerationConfig();
    String where = path(prefix, "generationConfig");
    JsonNode config = ProtoJson.object(body, "generationConfig", prefix, "GenerationConfig");
    if (config == null) {
      return out;
    }
    Long max = ProtoJson.integer(config, "maxOutputTokens", where, "TYPE_INT32");
    if (max != null) {
      if (max < 1) {
        throw invalid(path(where, "maxOutputTokens"), "max_output_tokens must be positive.");
      }
      if (outputTokenLimit != null && max > outputTokenLimit) {
        throw ApiException.invalid(
            "Unable to submit request because it has a maxOutputTokens value of " + max
                + " but the supported range is from 1 (inclusive) to " + (outputTokenLimit + 1)
                + " (exclusive). Update the value and try again.",
            path(where, "maxOutputTokens"), null);
      }
      out.maxOutputTokens = (int) Math.min(max, Integer.MAX_VALUE);
    }
    Long candidates = ProtoJson.integer(config, "candidateCount", where, "TYPE_INT32");
    if (candidates != null) {
      if (candidates < 1 || candidates > MAX_CANDIDATES) {
        throw invalid(path(where, "candidateCount"),
            "candidate_count must be between 1 and " + MAX_CANDIDATES + ".");
      }
      out.candidates = candidates.intValue();
    }
    Long seed = ProtoJson.integer(config, "seed", where, "TYPE_INT32");
    if (seed != null && (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE)) {
      throw invalidValue(path(where, "seed"), "TYPE_INT32", get(config, "seed"));
    }
    out.seed = seed;
    range(config, "temperature", where, 0, 2);
    range(config, "topP", where, 0, 1);
    Long topK = ProtoJson.integer(config, "topK", where, "TYPE_INT32");
    if (topK != null && topK < 0) {
      throw invalid(path(where, "topK"), "top_k must be non-negative.");
    }
    JsonNode stops = ProtoJson.array(config, "stopSequences", where, "TYPE_STRING");
    if (stops != null && stops.size() > 5) {
      throw invalid(path(where, "stopSequences"),
          "stop_sequences must contain at most 5 sequences.");
    }
    for (int i = 0; stops != null && i < stops.size(); i++) {
      if (!stops.get(i).isTextual()) {
        throw invalidValue(path(where, "stopSequences") + "[" + i + "]", "TYPE_STRING",
            stops.get(i));
      }
    }

    String mime = ProtoJson.text(config, "responseMimeType", where);
    if (mime != null && !mime.isEmpty() && !MIME_TYPES.contains(mime)) {
      throw invalid(path(where, "responseMimeType"),
          "allowed mimetypes are `text/plain`, `application/json`, `application/xml`,"
              + " `application/yaml` and `text/x.enum`.");
    }
    JsonNode schema = ProtoJson.object(config, "responseSchema", where, "Schema");
    JsonNode jsonSchema = get(config, "responseJsonSchema");
    if (schema != null && jsonSchema != null) {
      throw invalid(path(where, "responseJsonSchema"),
          "response_schema and response_json_schema cannot both be set.");
    }
    boolean json = "application/json".equals(mime);
    boolean enumOutput = "text/x.enum".equals(mime);
    if (schema != null && !json && !enumOutput) {
      throw invalid(path(where, "responseSchema"),
          "response_mime_type must be one of ['application/json', 'text/x.enum'] when"
              + " response_schema is set.");
    }
    if (jsonSchema != null && !json) {
      throw invalid(path(where, "responseJsonSchema"),
          "response_mime_type must be 'application/json' when response_json_schema is set.");
    }
    if (enumOutput) {
      JsonNode values = schema == null ? null : get(schema, "enum");
      if (values == null || !values.isArray() || values.isEmpty()) {
        throw invalid(path(where, "responseSchema"),
            "an enum response_schema is required when response_mime_type is text/x.enum.");
      }
      out.enumOutput = true;
      out.schema = Json.MAPPER.createObjectNode().put("type", "string").set("enum", values);
    } else if (jsonSchema != null) {
      out.schema = jsonSchema;
    } else if (schema != null) {
      out.schema = GeminiSchemas.toJsonSchema(schema);
    } else {
      out.jsonObject = json;
    }
    return out;
  }

  private void range(JsonNode config, String field, String where, double min, double max) {
    Double value = ProtoJson.number(config, field, where);
    if (value != null && (value < min || value > max)) {
      String snake = ProtoJson.snake(field);
      throw invalid(path(where, field),
          snake + " must be in the range [" + trim(min) + ", " + trim(max) + "], got "
              + get(config, field).asText() + ".");
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private ApiException invalid(String path, String message) {
    return ProtoJson.invalid(requestName, path, message);
  }
}
