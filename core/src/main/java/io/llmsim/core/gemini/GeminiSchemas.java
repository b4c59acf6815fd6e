package io.llmsim.core.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns Gemini's {@code Schema} (an OpenAPI 3.0 subset: upper-case {@code type}, {@code nullable},
 * int64 bounds that may arrive as strings, {@code propertyOrdering}, snake_case spellings) into the
 * JSON Schema that {@link io.llmsim.core.generate.SchemaValueGenerator} understands. Keywords that
 * are already JSON Schema pass through, so a JSON Schema sent where a {@code Schema} belongs
 * (lower-case types, {@code additionalProperties}) keeps its meaning.
 */
public final class GeminiSchemas {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> COUNTS =
      Set.of("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties");
  /** Gemini formats that say how a number or enum is stored, not what a JSON value looks like. */
  private static final Set<String> STORAGE_FORMATS =
      Set.of("enum", "int32", "int64", "float", "double");
  private static final Map<String, String> SNAKE =
      Map.ofEntries(
          Map.entry("any_of", "anyOf"),
          Map.entry("min_items", "minItems"),
          Map.entry("max_items", "maxItems"),
          Map.entry("min_length", "minLength"),
          Map.entry("max_length", "maxLength"),
          Map.entry("min_properties", "minProperties"),
          Map.entry("max_properties", "maxProperties"),
          Map.entry("property_ordering", "propertyOrdering"));

  private GeminiSchemas() {}

  /** The JSON Schema equivalent of a Gemini {@code Schema}; non-objects come back unchanged. */
  public static JsonNode toJsonSchema(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return schema;
    }
    ObjectNode out = NODES.objectNode();
    boolean nullable = false;
    for (Map.Entry<String, JsonNode> e : schema.properties()) {
      String key = SNAKE.getOrDefault(e.getKey(), e.getKey());
      JsonNode value = e.getValue();
      switch (key) {
        case "type" -> {
          if (value.isTextual()) {
            String type = value.asText().toLowerCase(Locale.ROOT);
            if (!type.isEmpty() && !type.equals("type_unspecified")) {
              out.put("type", type);
            }
          } else {
            out.set("type", value);
          }
        }
        case "nullable" -> nullable = value.asBoolean(false);
        case "format" -> {
          if (!STORAGE_FORMATS.contains(value.asText())) {
            out.set("format", value);
          }
        }
        case "propertyOrdering", "example" -> { }
        case "properties", "$defs", "definitions" -> {
          ObjectNode props = NODES.objectNode();
          for (Map.Entry<String, JsonNode> p : value.properties()) {
            props.set(p.getKey(), toJsonSchema(p.getValue()));
          }
          out.set(key, props);
        }
        case "items", "additionalProperties", "not" -> out.set(key, toJsonSchema(value));
        case "anyOf", "oneOf", "allOf", "prefixItems" -> {
          ArrayNode list = NODES.arrayNode();
          value.forEach(v -> list.add(toJsonSchema(v)));
          out.set(key, list);
        }
        default -> {
          if (COUNTS.contains(key) && value.isTextual() && value.asText().matches("[0-9]{1,9}")) {
            out.put(key, Integer.parseInt(value.asText()));
          } else {
            out.set(key, value);
          }
        }
      }
    }
    if (nullable) {
      JsonNode type = out.get("type");
      if (type != null && type.isTextual()) {
        out.set("type", NODES.arrayNode().add(type.asText()).add("null"));
      }
      JsonNode values = out.get("enum");
      if (values != null && values.isArray()) {
        ((ArrayNode) values).addNull();
      }
    }
    return out;
  }
}
