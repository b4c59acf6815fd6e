package io.llmsim.core.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.generate.SchemaValueGenerator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gemini's OpenAPI-subset {@code Schema} turned into JSON Schema. */
class GeminiSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void normalisesTypesNullableCountsAndSnakeCase() throws Exception {
    JsonNode schema = JSON.readTree("""
        {"type": "OBJECT",
         "properties": {
           "name": {"type": "STRING", "nullable": true},
           "size": {"type": "INTEGER", "format": "int32", "minimum": 1},
           "tags": {"type": "ARRAY", "items": {"type": "STRING"},
                    "min_items": "2", "maxItems": "4"},
           "kind": {"type": "STRING", "format": "enum", "enum": ["a", "b"]},
           "when": {"type": "STRING", "format": "date-time"},
           "any": {"any_of": [{"type": "NUMBER"}, {"type": "BOOLEAN"}]}},
         "required": ["name", "tags"],
         "property_ordering": ["name", "size"]}
        """);
    JsonNode expected = JSON.readTree("""
        {"type": "object",
         "properties": {
           "name": {"type": ["string", "null"]},
           "size": {"type": "integer", "minimum": 1},
           "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 4},
           "kind": {"type": "string", "enum": ["a", "b"]},
           "when": {"type": "string", "format": "date-time"},
           "any": {"anyOf": [{"type": "number"}, {"type": "boolean"}]}},
         "required": ["name", "tags"]}
        """);
    assertThat(GeminiSchemas.toJsonSchema(schema)).isEqualTo(expected);
  }

  @Test
  void jsonSchemaKeywordsPassThrough() throws Exception {
    JsonNode schema = JSON.readTree("""
        {"type": "object", "additionalProperties": false,
         "properties": {"x": {"type": "string", "pattern": "^[a-z]+$"}}, "required": ["x"]}
        """);
    assertThat(GeminiSchemas.toJsonSchema(schema)).isEqualTo(schema);
  }

  @Test
  void generatedValuesSatisfyTheNormalisedSchema() throws Exception {
    JsonNode schema = GeminiSchemas.toJsonSchema(JSON.readTree("""
        {"type": "OBJECT",
         "properties": {
           "city": {"type": "STRING"},
           "days": {"type": "INTEGER", "minimum": 1, "maximum": 14},
           "unit": {"type": "STRING", "enum": ["C", "F"], "nullable": true},
           "points": {"type": "ARRAY", "minItems": "1",
                      "items": {"type": "OBJECT",
                                "properties": {"lat": {"type": "NUMBER"}},
                                "required": ["lat"]}}},
         "required": ["city", "unit", "points"]}
        """));
    SchemaValueGenerator generator = SchemaValueGenerator.of();
    for (long seed = 0; seed < 50; seed++) {
      JsonNode value = generator.generate(schema, new SplittableRandom(seed));
      assertThat(SchemaValueGenerator.validate(schema, value)).as(value.toString()).isEmpty();
      assertThat(value.has("city") && value.has("unit") && value.has("points")).isTrue();
    }
  }
}
