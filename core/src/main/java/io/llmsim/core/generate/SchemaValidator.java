package io.llmsim.core.generate;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.llmsim.core.generate.SchemaValueGenerator.*;

/**
 * Checks values against schemas resolved from one root, with the JSON Schema subset
 * {@link SchemaValueGenerator} understands.
 */
final class SchemaValidator {
  static final int MAX_SHOWN = 80;
  static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  static final Pattern DATE_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?"
          + "([Zz]|[+-]\\d{2}:\\d{2})");
  static final Pattern TIME =
      Pattern.compile("(\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})?");
  static final Pattern DURATION = Pattern.compile(
      "P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?");
  static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  static final Pattern UUID_TEXT = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  static final Pattern IPV4 = Pattern.compile(
      "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
  static final Pattern HOSTNAME = Pattern.compile(
      "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private final JsonNode root;
  private final GenerationBudget budget;
  private final Map<String, Optional<Pattern>> patterns = new HashMap<>();

  /** @param budget charged a step per schema applied and per character a pattern reads */
  SchemaValidator(JsonNode root, GenerationBudget budget) {
    this.root = root;
    this.budget = budget;
  }

  /** Adds the violations of {@code value}, found at JSON pointer {@code ptr}, to {@code out}. */
  void check(JsonNode schema, JsonNode value, String ptr, List<String> out) {
    check(schema, value, ptr, out, identitySet());
  }

  /**
   * {@code active} holds the schemas already being applied to this same value on the current
   * path: meeting one again means a $ref or allOf cycle that consumes no input, so stop there.
   */
  private void check(JsonNode schema, JsonNode value, String ptr, List<String> out,
      Set<JsonNode> active) {
    if (schema == null || !(schema.isObject() || schema.isBoolean())) {
      return;
    }
    if (schema.isBoolean()) {
      if (!schema.booleanValue()) {
        out.add(msg(ptr, "no value is allowed here (schema is false)"));
      }
      return;
    }
    if (active.size() > VALIDATE_HOP_LIMIT || !active.add(schema)) {
      return;
    }
    budget.step(1);
    try {
      checkKeywords(schema, value, ptr, out, active);
    } finally {
      active.remove(schema);
    }
  }

  private void checkKeywords(JsonNode schema, JsonNode value, String ptr, List<String> out,
      Set<JsonNode> active) {
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      JsonNode target = resolve(root, ref.textValue());
      if (target != null) {
        check(target, value, ptr, out, active);
      }
    }
    List<String> types = declaredTypes(schema);
    if (!types.isEmpty() && types.stream().noneMatch(t -> hasType(value, t))) {
      String expected = types.size() == 1 ? types.get(0) : String.join(" or ", types);
      out.add(msg(ptr, "expected " + expected + " but got " + typeOf(value)));
      return;
    }
    JsonNode constant = schema.get("const");
    if (constant != null && !jsonEquals(constant, value)) {
      out.add(msg(ptr, show(value) + " is not the constant " + show(constant)));
    }
    JsonNode options = schema.get("enum");
    if (options != null && options.isArray()) {
      boolean found = false;
      for (JsonNode option : options) {
        found |= jsonEquals(option, value);
      }
      if (!found) {
        out.add(msg(ptr, show(value) + " is not one of " + show(options)));
      }
    }
    if (value.isNumber()) {
      checkNumber(schema, value, ptr, out);
    } else if (value.isTextual()) {
      checkString(schema, value.textValue(), ptr, out);
    } else if (value.isObject()) {
      checkObject(schema, value, ptr, out);
    } else if (value.isArray()) {
      checkArray(schema, value, ptr, out);
    }
    checkCombinators(schema, value, ptr, out, active);
  }

  private void checkCombinators(JsonNode schema, JsonNode value, String ptr, List<String> out,
      Set<JsonNode> active) {
    JsonNode all = schema.get("allOf");
    if (all != null && all.isArray()) {
      for (JsonNode branch : all) {
        check(branch, value, ptr, out, active);
      }
    }
    JsonNode any = schema.get("anyOf");
    if (any != null && any.isArray() && any.size() > 0) {
      List<String> closest = null;
      for (JsonNode branch : any) {
        List<String> errors = new ArrayList<>();
        check(branch, value, ptr, errors, active);
        if (errors.isEmpty()) {
          closest = null;
          break;
        }
        if (closest == null || errors.size() < closest.size()) {
          closest = errors;
        }
      }
      if (closest != null) {
        out.add(msg(ptr, "matches none of the " + any.size() + " anyOf alternatives (closest: "
            + closest.get(0) + ")"));
      }
    }
    JsonNode one = schema.get("oneOf");
    if (one != null && one.isArray() && one.size() > 0) {
      int matches = 0;
      List<String> closest = null;
      for (JsonNode branch : one) {
        List<String> errors = new ArrayList<>();
        check(branch, value, ptr, errors, active);
        if (errors.isEmpty()) {
          matches++;
        } else if (closest == null || errors.size() < closest.size()) {
          closest = errors;
        }
      }
      if (matches == 0) {
        out.add(msg(ptr, "matches none of the " + one.size() + " oneOf alternatives (closest: "
            + closest.get(0) + ")"));
      } else if (matches > 1) {
        out.add(msg(ptr, "matches " + matches + " oneOf alternatives, expected exactly one"));
      }
    }
  }

  private void checkNumber(JsonNode schema, JsonNode value, String ptr, List<String> out) {
    BigDecimal x = number(value);
    if (x == null) {
      out.add(msg(ptr, "is not a finite number"));
      return;
    }
    Bound lo = lowerBound(schema);
    if (lo != null && !inBounds(x, lo, null)) {
      out.add(msg(ptr, show(value) + " is " + (lo.exclusive() ? "not greater than " : "less than ")
          + lo.value().toPlainString()));
    }
    Bound hi = upperBound(schema);
    if (hi != null && !inBounds(x, null, hi)) {
      out.add(msg(ptr, show(value) + " is " + (hi.exclusive() ? "not less than " : "greater than ")
          + hi.value().toPlainString()));
    }
    BigDecimal multiple = positiveNumber(schema.get("multipleOf"));
    if (multiple != null && x.remainder(multiple).signum() != 0) {
      out.add(msg(ptr, show(value) + " is not a multiple of " + multiple.toPlainString()));
    }
  }

  private void checkString(JsonNode schema, String text, String ptr, List<String> out) {
    int length = text.codePointCount(0, text.length());
    Integer min = nonNegativeInt(schema.get("minLength"));
    if (min != null && length < min) {
      out.add(msg(ptr, "string of length " + length + " is shorter than minLength " + min));
    }
    Integer max = nonNegativeInt(schema.get("maxLength"));
    if (max != null && length > max) {
      out.add(msg(ptr, "string of length " + length + " is longer than maxLength " + max));
    }
    String regex = textOrNull(schema.get("pattern"));
    Pattern pattern = regex == null ? null : compile(regex);
    if (pattern != null && !budget.find(pattern, text)) {
      out.add(msg(ptr, show(TextNode.valueOf(text)) + " does not match pattern " + regex));
    }
    String format = textOrNull(schema.get("format"));
    if (format != null && !formatOk(format, text)) {
      out.add(msg(ptr, show(TextNode.valueOf(text)) + " is not a valid " + format));
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String ptr, List<String> out) {
    for (String name : stringSet(schema.get("required"))) {
      if (!value.has(name)) {
        out.add(msg(ptr, "missing required property \"" + name + "\""));
      }
    }
    JsonNode props = schema.get("properties");
    JsonNode patternProps = schema.get("patternProperties");
    JsonNode extra = schema.get("additionalProperties");
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      String name = e.getKey();
      String child = pointer(ptr, name);
      boolean declared = false;
      if (props != null && props.isObject() && props.has(name)) {
        declared = true;
        check(props.get(name), e.getValue(), child, out);
      }
      if (patternProps != null && patternProps.isObject()) {
        for (Map.Entry<String, JsonNode> p : patternProps.properties()) {
          Pattern pattern = compile(p.getKey());
          if (pattern != null && budget.find(pattern, name)) {
            declared = true;
            check(p.getValue(), e.getValue(), child, out);
          }
        }
      }
      if (declared || extra == null) {
        continue;
      }
      if (extra.isBoolean() && !extra.booleanValue()) {
        out.add(msg(child, "property \"" + name + "\" is not allowed (additionalProperties is "
            + "false)"));
      } else {
        check(extra, e.getValue(), child, out);
      }
    }
  }

  private Pattern compile(String regex) {
    return patterns.computeIfAbsent(regex, r -> Optional.ofNullable(budget.compile(r)))
        .orElse(null);
  }

  private void checkArray(JsonNode schema, JsonNode value, String ptr, List<String> out) {
    Integer min = nonNegativeInt(schema.get("minItems"));
    if (min != null && value.size() < min) {
      out.add(msg(ptr, "array of " + value.size() + " items is shorter than minItems " + min));
    }
    Integer max = nonNegativeInt(schema.get("maxItems"));
    if (max != null && value.size() > max) {
      out.add(msg(ptr, "array of " + value.size() + " items is longer than maxItems " + max));
    }
    if (schema.path("uniqueItems").asBoolean(false)) {
      for (int i = 0; i < value.size(); i++) {
        for (int j = 0; j < i; j++) {
          budget.step(1);
          if (jsonEquals(value.get(i), value.get(j))) {
            out.add(msg(ptr + "/" + i, "duplicates item " + j + " (uniqueItems is true)"));
            break;
          }
        }
      }
    }
    JsonNode items = schema.get("items");
    JsonNode prefixItems = schema.get("prefixItems");
    JsonNode prefix = null;
    JsonNode rest = items;
    if (prefixItems != null && prefixItems.isArray()) {
      prefix = prefixItems;
    } else if (items != null && items.isArray()) {
      prefix = items;
      rest = schema.get("additionalItems");
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode itemSchema = prefix != null && i < prefix.size() ? prefix.get(i) : rest;
      if (itemSchema == null) {
        continue;
      }
      if (itemSchema.isBoolean() && !itemSchema.booleanValue()) {
        // "items": false with no prefixItems allows no item at all.
        int defined = prefix == null ? 0 : prefix.size();
        out.add(msg(ptr + "/" + i, "item is not allowed (only " + defined
            + " items are defined)"));
      } else {
        check(itemSchema, value.get(i), ptr + "/" + i, out);
      }
    }
  }

  static Set<JsonNode> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  static boolean hasType(JsonNode value, String type) {
    switch (type) {
      case "null":
        return value.isNull();
      case "boolean":
        return value.isBoolean();
      case "string":
        return value.isTextual();
      case "array":
        return value.isArray();
      case "object":
        return value.isObject();
      case "number":
        return value.isNumber();
      case "integer": {
        if (value.isIntegralNumber()) {
          return true;
        }
        BigDecimal x = value.isNumber() ? number(value) : null;
        return x != null && x.stripTrailingZeros().scale() <= 0;
      }
      default:
        return true;
    }
  }

  static String typeOf(JsonNode value) {
    if (value.isNumber()) {
      return hasType(value, "integer") ? "integer" : "number";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isObject()) {
      return "object";
    }
    return value.isNull() ? "null" : value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  static boolean formatOk(String format, String text) {
    switch (format) {
      case "date-time":
        return DATE_TIME.matcher(text).matches() && parses(() -> OffsetDateTime.parse(
            text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      case "date":
        return DATE.matcher(text).matches() && parses(() -> LocalDate.parse(text));
      case "time": {
        Matcher m = TIME.matcher(text);
        return m.matches() && parses(() -> LocalTime.parse(m.group(1)));
      }
      case "duration":
        return DURATION.matcher(text).matches();
      case "email":
      case "idn-email":
        return EMAIL.matcher(text).matches();
      case "uuid":
        return UUID_TEXT.matcher(text).matches();
      case "ipv4":
        return IPV4.matcher(text).matches();
      case "ipv6":
        return isIpv6(text);
      case "hostname":
      case "idn-hostname":
        return HOSTNAME.matcher(text).matches();
      case "uri":
      case "url":
      case "iri": {
        URI uri = uri(text);
        return uri != null && uri.isAbsolute();
      }
      case "uri-reference":
      case "iri-reference":
        return uri(text) != null;
      default:
        return true;
    }
  }

  static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static URI uri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  static boolean isIpv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    List<String> groups = new ArrayList<>();
    if (gap >= 0) {
      for (String side : new String[] {text.substring(0, gap), text.substring(gap + 2)}) {
        if (!side.isEmpty()) {
          groups.addAll(List.of(side.split(":", -1)));
        }
      }
    } else {
      groups.addAll(List.of(text.split(":", -1)));
    }
    if (gap >= 0 ? groups.size() > 7 : groups.size() != 8) {
      return false;
    }
    return groups.stream().allMatch(g -> HEX_GROUP.matcher(g).matches());
  }

  static String msg(String ptr, String text) {
    return (ptr.isEmpty() ? "(root)" : ptr) + ": " + text;
  }

  static String show(JsonNode value) {
    String text = value.toString();
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
  }
}
