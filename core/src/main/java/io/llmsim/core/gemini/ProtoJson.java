package io.llmsim.core.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiException;

/**
 * Reading a request the way Google's proto3 JSON front end does: every field may be spelt in
 * lowerCamelCase or in its proto snake_case name ({@code system_instruction} is common in REST
 * examples), null is the same as absent, and integer fields also accept decimal strings. Errors
 * name the field by its snake_case path, as Google's do.
 */
final class ProtoJson {
  private ProtoJson() {}

  /** The field named {@code camel} (or its snake_case spelling), or null when absent or null. */
  static JsonNode get(JsonNode object, String camel) {
    JsonNode node = object.get(camel);
    if (node == null || node.isNull()) {
      String snake = snake(camel);
      node = snake.equals(camel) ? null : object.get(snake);
    }
    return node == null || node.isNull() ? null : node;
  }

  static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code where} followed by the snake_case name of {@code camel}. */
  static String path(String where, String camel) {
    return where.isEmpty() ? snake(camel) : where + "." + snake(camel);
  }

  static String text(JsonNode object, String camel, String where) {
    JsonNode node = get(object, camel);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalidValue(path(where, camel), "TYPE_STRING", node);
    }
    return node.asText();
  }

  static Long integer(JsonNode object, String camel, String where, String protoType) {
    JsonNode node = get(object, camel);
    if (node == null) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isTextual() && node.asText().matches("-?[0-9]{1,18}")) {
      return Long.parseLong(node.asText());
    }
    if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
        && Math.abs(node.doubleValue()) < 1e15) {
      return (long) node.doubleValue();
    }
    throw invalidValue(path(where, camel), protoType, node);
  }

  static Double number(JsonNode object, String camel, String where) {
    JsonNode node = get(object, camel);
    if (node == null) {
      return null;
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.asText());
      } catch (NumberFormatException e) {
        throw invalidValue(path(where, camel), "TYPE_FLOAT", node);
      }
    }
    throw invalidValue(path(where, camel), "TYPE_FLOAT", node);
  }

  static JsonNode object(JsonNode parent, String camel, String where, String messageType) {
    JsonNode node = get(parent, camel);
    if (node != null && !node.isObject()) {
      throw invalidValue(path(where, camel), messageType, node);
    }
    return node;
  }

  static JsonNode array(JsonNode parent, String camel, String where, String elementType) {
    JsonNode node = get(parent, camel);
    if (node != null && !node.isArray()) {
      throw invalidValue(path(where, camel), elementType, node);
    }
    return node;
  }

  /** Google's wording for a value of the wrong JSON type. */
  static ApiException invalidValue(String path, String protoType, JsonNode got) {
    String type = protoType.startsWith("TYPE_")
        ? protoType
        : "type.googleapis.com/google.ai.generativelanguage.v1beta." + protoType;
    return ApiException.invalid(
        "Invalid JSON payload received. Invalid value at '" + path + "' (" + type + "), "
            + got.toString(),
        path, null);
  }

  /** Google's wording for a request that parses but breaks a rule; {@code request} names it. */
  static ApiException invalid(String request, String path, String message) {
    return ApiException.invalid("* " + request + "." + path + ": " + message + "\n", path, null);
  }
}
