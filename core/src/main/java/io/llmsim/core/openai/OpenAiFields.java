package io.llmsim.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.model.Tool;

/**
 * Reads and checks single fields of an OpenAI request body, failing with OpenAI's wording and
 * codes ({@code missing_required_parameter}, {@code invalid_type}, {@code invalid_value},
 * {@code integer_below_min_value}, ...) and the offending field in {@code param}. Shared by every
 * OpenAI parser (chat, Responses, legacy completions, embeddings).
 */
final class OpenAiFields {
  private OpenAiFields() {}

  /** The body as an object, or the error OpenAI gives for JSON that is not an object. */
  static JsonNode object(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
              + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but"
              + " what was sent was not valid JSON.)",
          null, null);
    }
    return body;
  }

  /** The {@code model} field, which every endpoint requires. */
  static String model(JsonNode body) {
    JsonNode node = body.get("model");
    if (node == null || node.isNull()) {
      throw ApiException.invalid("you must provide a model parameter", null, null);
    }
    if (!node.isTextual()) {
      throw wrongType("model", "a string", node);
    }
    return node.asText();
  }

  /** True when the field is absent or JSON null. */
  static boolean absent(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull();
  }

  static String optionalString(JsonNode body, String field, String where) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw wrongType(where + field, "a string", node);
    }
    return node.asText();
  }

  static boolean optionalBoolean(JsonNode body, String field, boolean fallback, String where) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw wrongType(where + field, "a boolean", node);
    }
    return node.asBoolean();
  }

  /** An optional integer within {@code [min, max]}, or null. */
  static Integer optionalInt(JsonNode body, String field, int min, int max) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw wrongType(field, "an integer", node);
    }
    int value = node.intValue();
    if (value < min) {
      throw ApiException.invalid(
          "Invalid '" + field + "': integer below minimum value. Expected a value >= " + min
              + ", but got " + value + " instead.",
          field, "integer_below_min_value");
    }
    if (value > max) {
      throw ApiException.invalid(
          "Invalid '" + field + "': integer above maximum value. Expected a value <= " + max
              + ", but got " + value + " instead.",
          field, "integer_above_max_value");
    }
    return value;
  }

  /** An optional integer seed, or null. */
  static Long optionalSeed(JsonNode body) {
    JsonNode node = body.get("seed");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw wrongType("seed", "an integer", node);
    }
    return node.longValue();
  }

  /** An optional number within {@code [min, max]}, or null. */
  static Double optionalNumber(JsonNode body, String field, double min, double max) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : number(node, field, min, max);
  }

  /** {@code node}, a number within {@code [min, max]}; {@code param} names it in an error. */
  private static double number(JsonNode node, String param, double min, double max) {
    if (!node.isNumber()) {
      throw wrongType(param, "a number", node);
    }
    double value = node.doubleValue();
    if (value < min) {
      throw ApiException.invalid(
          "Invalid '" + param + "': decimal below minimum value. Expected a value >= "
              + trim(min) + ", but got " + node.asText() + " instead.",
          param, "decimal_below_min_value");
    }
    if (value > max) {
      throw ApiException.invalid(
          "Invalid '" + param + "': decimal above maximum value. Expected a value <= "
              + trim(max) + ", but got " + node.asText() + " instead.",
          param, "decimal_above_max_value");
    }
    return value;
  }

  /** {@code stop}, when given: a string or an array of at most 4 strings. */
  static void optionalStop(JsonNode body) {
    JsonNode stop = body.get("stop");
    if (stop == null || stop.isNull() || stop.isTextual()) {
      return;
    }
    if (!stop.isArray()) {
      throw wrongType("stop", "a string or an array", stop);
    }
    if (stop.size() > 4) {
      throw ApiException.invalid(
          "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an"
              + " array with length " + stop.size() + " instead.",
          "stop", "array_above_max_length");
    }
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw wrongType("stop[" + i + "]", "a string", stop.get(i));
      }
    }
  }

  /** {@code logit_bias}, when given: an object mapping token ids to biases from -100 to 100. */
  static void optionalLogitBias(JsonNode body) {
    JsonNode bias = body.get("logit_bias");
    if (bias == null || bias.isNull()) {
      return;
    }
    if (!bias.isObject()) {
      throw wrongType("logit_bias", "an object", bias);
    }
    bias.fields().forEachRemaining(
        e -> number(e.getValue(), "logit_bias." + e.getKey(), -100, 100));
  }

  /** {@code stream_options} is only allowed on a streaming request. */
  static JsonNode streamOptions(JsonNode body, boolean stream) {
    JsonNode options = body.get("stream_options");
    if (options == null || options.isNull()) {
      return null;
    }
    if (!stream) {
      throw ApiException.invalid(
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          "stream_options", "invalid_value");
    }
    if (!options.isObject()) {
      throw wrongType("stream_options", "an object", options);
    }
    return options;
  }

  /**
   * A function tool, checked as OpenAI checks it: a name of 1 to 64 letters, digits, {@code _} or
   * {@code -}, and parameters that are a JSON Schema object when given. {@code where} is the
   * tool's path in the request ({@code tools[0].function}), used to name a bad field.
   */
  static Tool functionTool(String where, String name, String description, JsonNode parameters) {
    if (name == null || name.isEmpty()) {
      throw missing(where + ".name");
    }
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw ApiException.invalid(
          "Invalid '" + where + ".name': string does not match pattern. Expected a string that"
              + " matches the pattern '^[a-zA-Z0-9_-]+$'.",
          where + ".name", "invalid_value");
    }
    if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
      throw wrongType(where + ".parameters", "an object", parameters);
    }
    return new Tool(name, description == null ? "" : description,
        parameters == null || parameters.isNull() ? null : parameters);
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

  /** An enumerated field got a value outside {@code supported} (already quoted and joined). */
  static ApiException invalidValue(String param, String got, String supported) {
    return ApiException.invalid(
        "Invalid value: '" + got + "'. Supported values are: " + supported + ".",
        param, "invalid_value");
  }

  static String describe(JsonNode node) {
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
