package io.llmsim.core.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaValueGeneratorTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SchemaValueGenerator GENERATOR = SchemaValueGenerator.of();
  private static final int SEEDS = 200;

  private static final String WEATHER = """
      {"type": "object",
       "properties": {
         "location": {"type": "string", "description": "City and country"},
         "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
         "days": {"type": "integer", "minimum": 1, "maximum": 14}},
       "required": ["location", "unit"],
       "additionalProperties": false}
      """;

  private static final String ORDER = """
      {"type": "object",
       "properties": {
         "customer": {"type": "object",
           "properties": {
             "name": {"type": "string"},
             "email": {"type": "string", "format": "email"},
             "address": {"type": "object",
               "properties": {
                 "street": {"type": "string"},
                 "city": {"type": "string"},
                 "zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
               "required": ["street", "city", "zip"]}},
           "required": ["name", "email", "address"]},
         "items": {"type": "array", "minItems": 1, "maxItems": 5,
           "items": {"type": "object",
             "properties": {
               "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
               "quantity": {"type": "integer", "minimum": 1},
               "price": {"type": "number", "exclusiveMinimum": 0}},
             "required": ["sku", "quantity", "price"],
             "additionalProperties": false}},
         "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}},
       "required": ["customer", "items"]}
      """;

  private static final String SEARCH_STRICT = """
      {"type": "object",
       "properties": {
         "query": {"type": "string"},
         "max_results": {"anyOf": [
           {"type": "integer", "minimum": 1, "maximum": 50},
           {"type": "null"}]},
         "since": {"type": ["string", "null"], "format": "date"}},
       "required": ["query", "max_results", "since"],
       "additionalProperties": false}
      """;

  private static final String TREE = """
      {"$defs": {
         "node": {"type": "object",
           "properties": {
             "label": {"type": "string"},
             "value": {"type": "integer"},
             "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
           "required": ["label", "children"],
           "additionalProperties": false}},
       "$ref": "#/$defs/node"}
      """;

  private static final String PLAN = """
      {"definitions": {
         "step": {"type": "object",
           "properties": {
             "action": {"type": "string", "enum": ["move", "turn", "wait"]},
             "next": {"anyOf": [{"$ref": "#/definitions/step"}, {"type": "null"}]}},
           "required": ["action", "next"],
           "additionalProperties": false}},
       "type": "object",
       "properties": {"plan": {"$ref": "#/definitions/step"}},
       "required": ["plan"]}
      """;

  private static final String NUMBERS = """
      {"type": "object",
       "properties": {
         "price": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 100,
                   "multipleOf": 0.01},
         "discount": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
         "batch": {"type": "integer", "minimum": 10, "maximum": 50, "multipleOf": 5},
         "offset": {"type": "integer", "exclusiveMinimum": -3, "exclusiveMaximum": 3},
         "ratio": {"type": "integer", "minimum": 1.5, "maximum": 3.5},
         "step": {"type": "number", "multipleOf": 0.25},
         "half": {"type": "integer", "multipleOf": 1.5, "maximum": 30},
         "big": {"type": "integer", "minimum": 1000000000000},
         "negative": {"type": "number", "maximum": -1000},
         "legacy": {"type": "number", "minimum": 0, "maximum": 1,
                    "exclusiveMinimum": true, "exclusiveMaximum": true}},
       "required": ["price", "discount", "batch", "offset", "ratio", "step", "half", "big",
                    "negative", "legacy"]}
      """;

  private static final String STRINGS = """
      {"type": "object",
       "properties": {
         "created_at": {"type": "string", "format": "date-time"},
         "day": {"type": "string", "format": "date"},
         "alarm": {"type": "string", "format": "time"},
         "contact": {"type": "string", "format": "email"},
         "homepage": {"type": "string", "format": "uri"},
         "request_id": {"type": "string", "format": "uuid"},
         "ip": {"type": "string", "format": "ipv4"},
         "ip6": {"type": "string", "format": "ipv6"},
         "host": {"type": "string", "format": "hostname"},
         "timeout": {"type": "string", "format": "duration"},
         "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
         "slug": {"type": "string", "pattern": "^[a-z]+(-[a-z0-9]+)*$", "maxLength": 20},
         "password": {"type": "string", "pattern": "^(?=.*[0-9])[a-z0-9]{8,12}$"},
         "nickname": {"type": "string", "minLength": 3, "maxLength": 8},
         "bio": {"type": "string", "minLength": 40, "maxLength": 60}},
       "required": ["created_at", "day", "alarm", "contact", "homepage", "request_id", "ip",
                    "ip6", "host", "timeout", "code", "slug", "password", "nickname", "bio"],
       "additionalProperties": false}
      """;

  private static final String CLOSED = """
      {"type": "object",
       "properties": {"a": {"type": "string"}, "b": {"type": "boolean"}},
       "additionalProperties": false}
      """;

  private static final String INTEGER_ENUMS = """
      {"type": "object",
       "properties": {
         "priority": {"type": "integer", "enum": [1, 2, 3, 5, 8]},
         "level": {"enum": [0, 10, 20]},
         "mixed": {"type": "integer", "enum": [1, "two", 3]}},
       "required": ["priority", "level", "mixed"]}
      """;

  private static final String SHAPES = """
      {"type": "object",
       "properties": {
         "shape": {"oneOf": [
           {"type": "object",
            "properties": {"kind": {"const": "circle"},
                           "radius": {"type": "number", "exclusiveMinimum": 0}},
            "required": ["kind", "radius"], "additionalProperties": false},
           {"type": "object",
            "properties": {"kind": {"const": "rect"},
                           "width": {"type": "number", "minimum": 0},
                           "height": {"type": "number", "minimum": 0}},
            "required": ["kind", "width", "height"], "additionalProperties": false}]}},
       "required": ["shape"]}
      """;

  private static final String ALL_OF = """
      {"$defs": {
         "base": {"type": "object",
           "properties": {"id": {"type": "string", "format": "uuid"},
                          "created": {"type": "string", "format": "date-time"}},
           "required": ["id"]}},
       "allOf": [
         {"$ref": "#/$defs/base"},
         {"type": "object",
          "properties": {"title": {"type": "string", "maxLength": 30},
                         "score": {"type": "number", "minimum": 0, "maximum": 10}},
          "required": ["title", "score"]}]}
      """;

  private static final String CONTAINERS = """
      {"type": "object",
       "properties": {
         "scores": {"type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 100}},
         "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}],
                   "items": false, "minItems": 2},
         "matrix": {"type": "array",
                    "items": {"type": "array", "items": {"type": "integer"},
                              "minItems": 2, "maxItems": 2}},
         "flags": {"type": "array", "items": {"type": "boolean"}, "uniqueItems": true,
                   "minItems": 0, "maxItems": 5}},
       "required": ["scores", "point", "matrix", "flags"]}
      """;

  private static final String UNTYPED = """
      {"properties": {"name": {}, "note": {"maxLength": 10}, "limit": {"minimum": 5}},
       "required": ["name", "note", "limit"]}
      """;

  static Stream<Arguments> toolSchemas() {
    return Stream.of(
        Arguments.of("weather lookup with enum unit", WEATHER),
        Arguments.of("nested object with arrays of objects", ORDER),
        Arguments.of("strict search with anyOf null", SEARCH_STRICT),
        Arguments.of("$defs recursion (tree node)", TREE),
        Arguments.of("definitions recursion through anyOf", PLAN),
        Arguments.of("numeric bounds and multipleOf", NUMBERS),
        Arguments.of("string formats and patterns", STRINGS),
        Arguments.of("additionalProperties false", CLOSED),
        Arguments.of("integer enums", INTEGER_ENUMS),
        Arguments.of("oneOf discriminated union", SHAPES),
        Arguments.of("allOf with $ref", ALL_OF),
        Arguments.of("maps, tuples and unique items", CONTAINERS),
        Arguments.of("schema without types", UNTYPED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("toolSchemas")
  void everySeedProducesAValidValue(String name, String schemaText) {
    JsonNode schema = json(schemaText);
    for (JsonNode value : samples(schema)) {
      assertThat(SchemaValueGenerator.validate(schema, value)).as("value %s", value).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("toolSchemas")
  void sameSeedGivesEqualValueAndSeedsDiffer(String name, String schemaText) {
    JsonNode schema = json(schemaText);
    Set<JsonNode> distinct = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      JsonNode first = generate(schema, seed);
      assertThat(generate(schema, seed)).as("seed %d", seed).isEqualTo(first);
      distinct.add(first);
    }
    assertThat(distinct).hasSizeGreaterThan(10);
  }

  @Test
  void weatherUsesEnumUnitsAndPlausibleLocations() {
    JsonNode schema = json(WEATHER);
    Set<String> units = new HashSet<>();
    int withDays = 0;
    for (JsonNode value : samples(schema)) {
      units.add(value.get("unit").textValue());
      assertThat(value.get("location").textValue()).matches("[A-Z][A-Za-z ]+, [A-Z][A-Za-z ]+");
      if (value.has("days")) {
        withDays++;
      }
    }
    assertThat(units).containsExactlyInAnyOrder("celsius", "fahrenheit");
    // Optional properties appear with probability ~0.5.
    assertThat(withDays).isBetween(60, 140);
  }

  @Test
  void additionalPropertiesFalseAddsNothingElse() {
    JsonNode schema = json(CLOSED);
    Set<String> seenKeys = new HashSet<>();
    for (JsonNode value : samples(schema)) {
      value.fieldNames().forEachRemaining(seenKeys::add);
    }
    assertThat(seenKeys).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void arraysDefaultToOneToThreeItems() {
    JsonNode schema = json("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}");
    Set<Integer> sizes = new HashSet<>();
    for (JsonNode value : samples(schema)) {
      sizes.add(value.size());
    }
    assertThat(sizes).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void recursionHappensButStaysBounded() {
    JsonNode schema = json(TREE);
    int deepest = 0;
    for (JsonNode value : samples(schema)) {
      int depth = treeDepth(value);
      deepest = Math.max(deepest, depth);
      assertThat(depth).as("value %s", value).isLessThanOrEqualTo(6);
    }
    assertThat(deepest).isGreaterThanOrEqualTo(3);
  }

  @Test
  void deepButFiniteRefsKeepOptionalProperties() {
    JsonNode schema = json("""
        {"$defs": {
           "a": {"type": "object", "properties": {"b": {"$ref": "#/$defs/b"}}, "required": ["b"]},
           "b": {"type": "object", "properties": {"c": {"$ref": "#/$defs/c"}}, "required": ["c"]},
           "c": {"type": "object", "properties": {"d": {"$ref": "#/$defs/d"}}, "required": ["d"]},
           "d": {"type": "object", "properties": {"e": {"$ref": "#/$defs/e"}}, "required": ["e"]},
           "e": {"type": "object", "properties": {"leaf": {"type": "string"}}}},
         "$ref": "#/$defs/a"}
        """);
    int withLeaf = 0;
    for (JsonNode value : samples(schema)) {
      assertThat(SchemaValueGenerator.validate(schema, value)).isEmpty();
      if (value.at("/b/c/d/e").has("leaf")) {
        withLeaf++;
      }
    }
    // Only a ref recurring inside its own expansion shrinks values; this chain never recurs.
    assertThat(withLeaf).isBetween(60, 140);
  }

  @Test
  void linkedRecursionEndsWithNull() {
    JsonNode schema = json(PLAN);
    int longest = 0;
    for (JsonNode value : samples(schema)) {
      int length = 0;
      for (JsonNode step = value.get("plan"); !step.isNull(); step = step.get("next")) {
        length++;
      }
      longest = Math.max(longest, length);
      assertThat(length).isBetween(1, 8);
    }
    assertThat(longest).isGreaterThan(1);
  }

  @Test
  void anyOfWithNullProducesBothBranches() {
    JsonNode schema = json(SEARCH_STRICT);
    int nulls = 0;
    int numbers = 0;
    for (JsonNode value : samples(schema)) {
      JsonNode max = value.get("max_results");
      if (max.isNull()) {
        nulls++;
      } else {
        assertThat(max.intValue()).isBetween(1, 50);
        numbers++;
      }
    }
    assertThat(nulls).isGreaterThan(20);
    assertThat(numbers).isGreaterThan(20);
  }

  @Test
  void oneOfPicksEachBranch() {
    Set<String> kinds = new HashSet<>();
    for (JsonNode value : samples(json(SHAPES))) {
      kinds.add(value.at("/shape/kind").textValue());
    }
    assertThat(kinds).containsExactlyInAnyOrder("circle", "rect");
  }

  @Test
  void allOfMergesRequiredPropertiesOfEveryBranch() {
    for (JsonNode value : samples(json(ALL_OF))) {
      assertThat(value.has("id") && value.has("title") && value.has("score"))
          .as("value %s", value).isTrue();
      assertThat(UUID.fromString(value.get("id").textValue())).isNotNull();
    }
  }

  @Test
  void numbersRespectBoundsAndSteps() {
    Set<Integer> ratios = new HashSet<>();
    Set<Integer> batches = new HashSet<>();
    for (JsonNode value : samples(json(NUMBERS))) {
      ratios.add(value.get("ratio").intValue());
      batches.add(value.get("batch").intValue());
      assertThat(value.get("offset").intValue()).isBetween(-2, 2);
      assertThat(value.get("half").intValue() % 3).isZero();
      assertThat(value.get("big").isIntegralNumber()).isTrue();
      assertThat(value.get("legacy").doubleValue()).isStrictlyBetween(0.0, 1.0);
    }
    assertThat(ratios).containsExactlyInAnyOrder(2, 3);
    assertThat(batches).allSatisfy(b -> assertThat(b % 5).isZero()).hasSizeGreaterThan(3);
  }

  @Test
  void formatsLookReal() {
    for (JsonNode value : samples(json(STRINGS))) {
      OffsetDateTime created = OffsetDateTime.parse(value.get("created_at").textValue());
      assertThat(created.getYear()).isBetween(2020, 2026);
      assertThat(LocalDate.parse(value.get("day").textValue())).isNotNull();
      assertThat(UUID.fromString(value.get("request_id").textValue()).version()).isEqualTo(4);
      assertThat(value.get("contact").textValue()).contains("@");
      assertThat(value.get("homepage").textValue()).startsWith("https://");
      assertThat(value.get("password").textValue()).matches(".*[0-9].*");
    }
  }

  static Stream<Arguments> patterns() {
    return Stream.of(
        Arguments.of("^[A-Z]{3}$", 100),
        Arguments.of("^\\d{5}$", 100),
        Arguments.of("^[a-z]+-[0-9]{2,4}$", 100),
        Arguments.of("^(foo|bar)_\\w+$", 100),
        Arguments.of("^\\+?[1-9]\\d{1,14}$", 100),
        Arguments.of("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", 100),
        Arguments.of("^#(?:[0-9a-fA-F]{3}){1,2}$", 100),
        Arguments.of("^\\d{3}-\\d{2}-\\d{4}$", 100),
        Arguments.of("[A-Z]{2}\\d", 100),
        Arguments.of("^v\\d+\\.\\d+\\.\\d+(-[a-z]+)?$", 100),
        Arguments.of("^\\u00e9t\\u00e9$", 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void patternsAreMatched(String regex, int minDistinct) {
    ObjectNode schema = MAPPER.createObjectNode().put("type", "string").put("pattern", regex);
    Pattern compiled = Pattern.compile(regex);
    Set<String> distinct = new HashSet<>();
    for (JsonNode value : samples(schema)) {
      assertThat(value.textValue()).matches(v -> compiled.matcher(v).find(), "matches " + regex);
      distinct.add(value.textValue());
    }
    // Many distinct matches show the sampler works rather than a lucky fallback.
    assertThat(distinct).hasSizeGreaterThanOrEqualTo(minDistinct);
  }

  @Test
  void propertyNamesShapeStrings() {
    JsonNode schema = json("""
        {"type": "object",
         "properties": {"name": {"type": "string"}, "email": {"type": "string"},
                        "city": {"type": "string"}, "user_id": {"type": "string"},
                        "description": {"type": "string"}},
         "required": ["name", "email", "city", "user_id", "description"]}
        """);
    for (JsonNode value : samples(schema)) {
      assertThat(value.get("name").textValue()).matches("[A-Z][a-z]+ [A-Z][a-z]+");
      assertThat(value.get("email").textValue()).matches("[a-z]+\\.[a-z]+@example\\.com");
      assertThat(value.get("city").textValue()).matches("[A-Z][A-Za-z ]+");
      assertThat(value.get("user_id").textValue()).startsWith("user_");
      assertThat(value.get("description").textValue()).endsWith(".");
    }
  }

  @Test
  void examplesAndDefaultsAreUsedAsCandidates() {
    JsonNode schema = json("""
        {"type": "string", "examples": ["alpha", "beta"], "default": "gamma",
         "maxLength": 5}
        """);
    Set<String> seen = new HashSet<>();
    for (JsonNode value : samples(schema)) {
      seen.add(value.textValue());
    }
    assertThat(seen).contains("alpha", "beta", "gamma");
  }

  static Stream<Arguments> weirdSchemas() {
    return Stream.of(
        Arguments.of("{}", true),
        Arguments.of("true", true),
        Arguments.of("false", false),
        Arguments.of("null", true),
        Arguments.of("42", true),
        Arguments.of("[]", true),
        Arguments.of("{\"type\": \"bogus\"}", true),
        Arguments.of("{\"type\": []}", true),
        Arguments.of("{\"type\": 7, \"required\": \"x\", \"properties\": []}", true),
        Arguments.of("{\"$ref\": \"#/$defs/missing\"}", true),
        Arguments.of("{\"$ref\": \"https://example.com/schema.json\"}", true),
        Arguments.of("{\"$ref\": \"#\"}", true),
        Arguments.of("{\"allOf\": [{\"$ref\": \"#\"}, {\"$ref\": \"#\"}]}", true),
        Arguments.of("{\"anyOf\": []}", true),
        Arguments.of("{\"enum\": []}", false),
        Arguments.of("{\"minimum\": \"x\", \"maxLength\": -3}", true),
        Arguments.of("{\"type\": \"string\", \"pattern\": \"(unclosed\"}", true),
        Arguments.of("{\"type\": \"string\", \"pattern\": \"^[A-Z]\", \"minLength\": 10}",
            true),
        Arguments.of("{\"type\": \"string\", \"pattern\": \"^(a)\\\\1$\"}", false),
        Arguments.of("{\"type\": \"array\", \"minItems\": 5, \"maxItems\": 2}", false),
        Arguments.of("{\"type\": \"integer\", \"minimum\": 5, \"maximum\": 1}", false),
        Arguments.of("{\"type\": \"number\", \"exclusiveMinimum\": 1, \"exclusiveMaximum\": 1}",
            false),
        Arguments.of("{\"type\": \"object\", \"required\": [\"x\"], "
            + "\"properties\": {\"x\": {\"$ref\": \"#\"}}}", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weirdSchemas")
  void weirdSchemasNeverThrow(String schemaText, boolean satisfiable) {
    JsonNode schema = json(schemaText);
    for (long seed = 0; seed < 20; seed++) {
      JsonNode value = generate(schema, seed);
      assertThat(value).isNotNull().isEqualTo(generate(schema, seed));
      if (satisfiable) {
        assertThat(SchemaValueGenerator.validate(schema, value)).as("value %s", value).isEmpty();
      }
    }
  }

  @Test
  void emptyOrMissingSchemaGivesAString() {
    assertThat(GENERATOR.generate(null, new SplittableRandom(1)).isTextual()).isTrue();
    assertThat(GENERATOR.generate(json("{}"), new SplittableRandom(1)).isTextual()).isTrue();
    assertThat(GENERATOR.generate(json("{\"description\": \"anything\"}"),
        new SplittableRandom(1)).textValue()).isNotBlank();
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("wrong type", WEATHER,
            "{\"location\": 5, \"unit\": \"celsius\"}", "/location", "expected string"),
        Arguments.of("missing required", WEATHER,
            "{\"unit\": \"celsius\"}", "(root)", "missing required property \"location\""),
        Arguments.of("enum mismatch", WEATHER,
            "{\"location\": \"Paris\", \"unit\": \"kelvin\"}", "/unit", "is not one of"),
        Arguments.of("above maximum", WEATHER,
            "{\"location\": \"Paris\", \"unit\": \"celsius\", \"days\": 15}", "/days",
            "greater than 14"),
        Arguments.of("extra property", WEATHER,
            "{\"location\": \"Paris\", \"unit\": \"celsius\", \"wind\": true}", "/wind",
            "not allowed"),
        Arguments.of("root not an object", WEATHER, "[]", "(root)", "expected object"),
        Arguments.of("nested below minimum", ORDER, """
            {"customer": {"name": "A", "email": "a@b.co",
                          "address": {"street": "s", "city": "c", "zip": "12345"}},
             "items": [{"sku": "ABC-1234", "quantity": 1, "price": 1},
                       {"sku": "ABC-1234", "quantity": 0, "price": 1}]}
            """, "/items/1/quantity", "less than 1"),
        Arguments.of("nested pattern", ORDER, """
            {"customer": {"name": "A", "email": "a@b.co",
                          "address": {"street": "s", "city": "c", "zip": "1234"}},
             "items": [{"sku": "ABC-1234", "quantity": 1, "price": 1}]}
            """, "/customer/address/zip", "does not match pattern"),
        Arguments.of("too few items", ORDER, """
            {"customer": {"name": "A", "email": "a@b.co",
                          "address": {"street": "s", "city": "c", "zip": "12345"}},
             "items": []}
            """, "/items", "minItems 1"),
        Arguments.of("duplicate items", ORDER, """
            {"customer": {"name": "A", "email": "a@b.co",
                          "address": {"street": "s", "city": "c", "zip": "12345"}},
             "items": [{"sku": "ABC-1234", "quantity": 1, "price": 1}],
             "tags": ["x", "x"]}
            """, "/tags/1", "duplicates item 0"),
        Arguments.of("bad email format", ORDER, """
            {"customer": {"name": "A", "email": "nobody",
                          "address": {"street": "s", "city": "c", "zip": "12345"}},
             "items": [{"sku": "ABC-1234", "quantity": 1, "price": 1}]}
            """, "/customer/email", "not a valid email"),
        Arguments.of("not a multiple", NUMBERS, numbersWith("batch", "12"), "/batch",
            "not a multiple of 5"),
        Arguments.of("exclusive minimum", NUMBERS, numbersWith("discount", "0"), "/discount",
            "not greater than 0"),
        Arguments.of("draft-04 exclusive maximum", NUMBERS, numbersWith("legacy", "1"),
            "/legacy", "not less than 1"),
        Arguments.of("fraction for integer", NUMBERS, numbersWith("offset", "1.5"), "/offset",
            "expected integer but got number"),
        Arguments.of("anyOf without match", SEARCH_STRICT,
            "{\"query\": \"q\", \"max_results\": \"ten\", \"since\": null}", "/max_results",
            "anyOf"),
        Arguments.of("oneOf without match", SHAPES,
            "{\"shape\": {\"kind\": \"triangle\"}}", "/shape", "oneOf"),
        Arguments.of("recursive node", TREE,
            "{\"label\": \"root\", \"children\": [{\"children\": []}]}", "/children/0",
            "missing required property \"label\""),
        Arguments.of("integer enum", INTEGER_ENUMS,
            "{\"priority\": 4, \"level\": 0, \"mixed\": 1}", "/priority", "is not one of"),
        Arguments.of("escaped pointer", CLOSED, "{\"a/b~c\": 1}", "/a~1b~0c", "not allowed"),
        Arguments.of("tuple overflow", CONTAINERS,
            "{\"scores\": {}, \"point\": [1, 2, 3], \"matrix\": [], \"flags\": []}",
            "/point/2", "not allowed"),
        Arguments.of("map value bound", CONTAINERS,
            "{\"scores\": {\"math\": 101}, \"point\": [1, 2], \"matrix\": [], \"flags\": []}",
            "/scores/math", "greater than 100"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void validateReportsViolationsAtTheirPointer(String name, String schemaText, String valueText,
      String pointer, String fragment) {
    List<String> problems = SchemaValueGenerator.validate(json(schemaText), json(valueText));
    assertThat(problems).as("violations").isNotEmpty()
        .anySatisfy(p -> assertThat(p).startsWith(pointer + ": ").contains(fragment));
  }

  @Test
  void validateAcceptsValidValuesAndEquivalentNumbers() {
    assertThat(SchemaValueGenerator.validate(json(WEATHER),
        json("{\"location\": \"Paris, France\", \"unit\": \"celsius\", \"days\": 3}"))).isEmpty();
    assertThat(SchemaValueGenerator.validate(json("{\"type\": \"integer\", \"enum\": [1, 2]}"),
        json("2.0"))).isEmpty();
    assertThat(SchemaValueGenerator.validate(json("{\"multipleOf\": 0.1}"), json("0.3")))
        .isEmpty();
    assertThat(SchemaValueGenerator.validate(null, json("{\"any\": 1}"))).isEmpty();
  }

  private static String numbersWith(String field, String number) {
    ObjectNode value = (ObjectNode) json("""
        {"price": 1.5, "discount": 0.5, "batch": 10, "offset": 0, "ratio": 2, "step": 0.75,
         "half": 3, "big": 1000000000001, "negative": -1001, "legacy": 0.5}
        """);
    assertThat(SchemaValueGenerator.validate(json(NUMBERS), value)).isEmpty();
    value.set(field, json(number));
    return value.toString();
  }

  private static int treeDepth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node.get("children")) {
      deepest = Math.max(deepest, treeDepth(child));
    }
    return 1 + deepest;
  }

  private static List<JsonNode> samples(JsonNode schema) {
    List<JsonNode> out = new ArrayList<>();
    for (long seed = 0; seed < SEEDS; seed++) {
      out.add(generate(schema, seed));
    }
    return out;
  }

  private static JsonNode generate(JsonNode schema, long seed) {
    return GENERATOR.generate(schema, new SplittableRandom(seed));
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
