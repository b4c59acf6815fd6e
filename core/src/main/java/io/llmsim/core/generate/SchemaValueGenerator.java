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

/**
 * Generates JSON values that conform to a JSON Schema, for synthesized tool-call arguments and
 * structured outputs, and checks values against the same schema subset.
 *
 * <p>The understood subset is what OpenAI function calling and structured outputs accept, in
 * draft 2020-12 style: {@code type} (single or a list), {@code properties}, {@code required},
 * {@code additionalProperties}, {@code items}, {@code prefixItems}, {@code minItems},
 * {@code maxItems}, {@code uniqueItems}, {@code enum}, {@code const}, {@code anyOf},
 * {@code oneOf}, {@code allOf}, local {@code $ref} ({@code #}, {@code #/$defs/...},
 * {@code #/definitions/...} or any local JSON pointer), numeric bounds (draft 2020-12 numeric and
 * draft-04 boolean {@code exclusiveMinimum}/{@code exclusiveMaximum}), {@code multipleOf},
 * {@code minLength}, {@code maxLength}, {@code pattern} (best effort), {@code format} and
 * {@code default}/{@code examples} as candidates. Other keywords are ignored by both generation
 * and validation.
 *
 * <p>Instances are immutable and thread-safe. All randomness comes from the caller's generator,
 * so the output is a pure function of the schema and the generator's seed.
 */
public final class SchemaValueGenerator {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Times one $ref may recur on a path before generation starts choosing the smallest values. */
  private static final int DEFAULT_MAX_REF_DEPTH = 3;
  /** Structural nesting before generation starts choosing the smallest values. */
  private static final int DEFAULT_MAX_NESTING = 10;
  private static final double DEFAULT_OPTIONAL_PROBABILITY = 0.5;

  private static final SchemaValueGenerator DEFAULT = new SchemaValueGenerator(
      DEFAULT_MAX_REF_DEPTH, DEFAULT_MAX_NESTING, DEFAULT_OPTIONAL_PROBABILITY);

  // Hard stops for schemas that cannot terminate (self-referencing $ref chains, required cycles).
  private static final int HARD_REF_LIMIT = 32;
  private static final int HARD_NESTING_LIMIT = 64;
  private static final int VALIDATE_HOP_LIMIT = 256;

  private static final int CHOICE_ATTEMPTS = 6;
  /** Bounds the total retries of one generate call, so nested unsatisfiable choices stay cheap. */
  private static final int RETRY_BUDGET = 2000;
  private static final int PATTERN_ATTEMPTS = 16;
  private static final double EXAMPLE_PROBABILITY = 0.3;
  private static final int MAX_CROSS_PRODUCT = 64;
  /** Upper limit for generated array items and string code points. */
  private static final int MAX_GENERATED_SIZE = 100_000;

  /** Cheapest first: used to end recursion with the smallest value a type list allows. */
  private static final List<String> TYPE_PREFERENCE =
      List.of("null", "boolean", "integer", "number", "string", "array", "object");

  private final int maxRefDepth;
  private final int maxNesting;
  private final double optionalProbability;

  private SchemaValueGenerator(int maxRefDepth, int maxNesting, double optionalProbability) {
    this.maxRefDepth = maxRefDepth;
    this.maxNesting = maxNesting;
    this.optionalProbability = optionalProbability;
  }

  /**
   * Returns the generator with default options: optional properties appear with probability 0.5,
   * arrays without bounds get 1 to 3 items, and recursion through {@code $ref} is cut short after
   * three levels.
   *
   * @return the shared default generator
   */
  public static SchemaValueGenerator of() {
    return DEFAULT;
  }

  /**
   * Returns a value conforming to {@code schema}; never throws on weird schemas: unknown or empty
   * schema gives a plausible string/object.
   *
   * <p>Unsatisfiable schemas (for example a {@code false} schema, or {@code minimum} above
   * {@code maximum}) still produce a value, which then fails {@link #validate}.
   *
   * @param schema the JSON Schema; {@code null}, missing or non-object nodes are treated as the
   *     empty schema
   * @param random source of all randomness; the same seed gives an equal result
   * @return a fresh JSON value, never {@code null}
   */
  public JsonNode generate(JsonNode schema, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    JsonNode root = schema == null ? MissingNode.getInstance() : schema;
    Run run = new Run(root, random);
    try {
      return run.gen(root, "", 0, RefChain.EMPTY);
    } catch (RuntimeException e) {
      // Contract: a malformed schema must not break a simulated response; a string is harmless.
      return TextNode.valueOf(Words.lorem(random, 2));
    }
  }

  /**
   * Checks a value against a schema with the same subset of JSON Schema that generate
   * understands; returns a list of human-readable violations (empty when valid), each naming the
   * JSON pointer of the bad value.
   *
   * <p>Each message starts with the JSON pointer of the offending value followed by a colon, for
   * example {@code /location/unit: "kelvin" is not one of ["celsius","fahrenheit"]}; the whole
   * document is written {@code (root)}. Unknown formats, unresolvable references and invalid
   * regular expressions are treated as unconstrained.
   *
   * @param schema the JSON Schema; {@code null} accepts everything
   * @param value the value to check; {@code null} is treated as JSON {@code null}
   * @return an immutable list of violations, empty when the value is valid
   */
  public static List<String> validate(JsonNode schema, JsonNode value) {
    JsonNode root = schema == null ? MissingNode.getInstance() : schema;
    JsonNode actual = value == null ? NullNode.getInstance() : value;
    List<String> out = new ArrayList<>();
    new Validator(root).check(root, actual, "", out);
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Generation

  /** State of one generate call. */
  private final class Run {
    private final JsonNode root;
    private final RandomGenerator random;
    private final Validator validator;
    private final Map<String, Optional<Pattern>> patterns = new HashMap<>();
    private int retryBudget = RETRY_BUDGET;

    Run(JsonNode root, RandomGenerator random) {
      this.root = root;
      this.random = random;
      this.validator = new Validator(root);
    }

    JsonNode gen(JsonNode schema, String name, int depth, RefChain refs) {
      if (depth > HARD_NESTING_LIMIT || refs.length > HARD_REF_LIMIT) {
        return NullNode.getInstance();
      }
      if (schema == null || !schema.isObject()) {
        boolean forbidden = schema != null && schema.isBoolean() && !schema.booleanValue();
        return forbidden ? NullNode.getInstance() : TextNode.valueOf(plainString(name));
      }
      if (schema.has("$ref") || schema.has("allOf")) {
        List<String> followed = new ArrayList<>();
        List<ObjectNode> parts = new ArrayList<>();
        flatten(root, schema, parts, followed);
        RefChain chain = refs;
        for (String ref : followed) {
          chain = chain.push(ref);
        }
        return gen(mergeAll(parts), name, depth, chain);
      }
      ObjectNode s = (ObjectNode) schema;
      if (s.has("anyOf") || s.has("oneOf")) {
        return genChoice(s, name, depth, refs);
      }
      JsonNode constant = s.get("const");
      if (constant != null) {
        return constant.deepCopy();
      }
      JsonNode options = s.get("enum");
      if (options != null && options.isArray() && options.size() > 0) {
        return pickEnum(s, options);
      }
      JsonNode example = pickExample(s);
      if (example != null) {
        return example;
      }
      boolean minimal = isMinimal(depth, refs);
      switch (chooseType(s, minimal)) {
        case "null":
          return NullNode.getInstance();
        case "boolean":
          return BooleanNode.valueOf(random.nextBoolean());
        case "integer":
          return genNumber(s, name, true);
        case "number":
          return genNumber(s, name, false);
        case "array":
          return genArray(s, name, depth, refs, minimal);
        case "object":
          return genObject(s, name, depth, refs, minimal);
        default:
          return TextNode.valueOf(genString(s, name));
      }
    }

    private boolean isMinimal(int depth, RefChain refs) {
      return refs.recursion > maxRefDepth || depth > maxNesting;
    }

    private List<String> violations(JsonNode schema, JsonNode value) {
      List<String> out = new ArrayList<>();
      validator.check(schema, value, "", out);
      return out;
    }

    private JsonNode genChoice(ObjectNode s, String name, int depth, RefChain refs) {
      String key = s.has("anyOf") ? "anyOf" : "oneOf";
      JsonNode branches = s.get(key);
      ObjectNode base = copyWithout(s, key);
      if (!branches.isArray() || branches.size() == 0) {
        return gen(base, name, depth, refs);
      }
      List<JsonNode> order = new ArrayList<>();
      branches.forEach(order::add);
      if (isMinimal(depth, refs)) {
        order.sort(Comparator.comparingInt(b -> cost(root, b, 0)));
      } else {
        shuffle(order);
      }
      // A branch can clash with its siblings or (for oneOf) match a second branch too: retry.
      JsonNode first = null;
      for (int i = 0; i < CHOICE_ATTEMPTS; i++) {
        ObjectNode both = NODES.objectNode();
        both.putArray("allOf").add(base).add(order.get(i % order.size()));
        JsonNode value = gen(both, name, depth, refs);
        if (violations(s, value).isEmpty()) {
          return value;
        }
        if (first == null) {
          first = value;
        }
        if (--retryBudget <= 0) {
          break;
        }
      }
      return first;
    }

    private void shuffle(List<JsonNode> list) {
      for (int i = list.size() - 1; i > 0; i--) {
        Collections.swap(list, i, random.nextInt(i + 1));
      }
    }

    private JsonNode pickEnum(ObjectNode s, JsonNode options) {
      ObjectNode rest = copyWithout(s, "enum");
      List<JsonNode> all = new ArrayList<>();
      List<JsonNode> fitting = new ArrayList<>();
      for (JsonNode option : options) {
        all.add(option);
        if (violations(rest, option).isEmpty()) {
          fitting.add(option);
        }
      }
      List<JsonNode> pool = fitting.isEmpty() ? all : fitting;
      return pool.get(random.nextInt(pool.size())).deepCopy();
    }

    private JsonNode pickExample(ObjectNode s) {
      List<JsonNode> candidates = new ArrayList<>();
      JsonNode examples = s.get("examples");
      if (examples != null && examples.isArray()) {
        examples.forEach(candidates::add);
      }
      JsonNode fallback = s.get("default");
      if (fallback != null) {
        candidates.add(fallback);
      }
      if (candidates.isEmpty() || random.nextDouble() >= EXAMPLE_PROBABILITY) {
        return null;
      }
      JsonNode candidate = candidates.get(random.nextInt(candidates.size()));
      return violations(s, candidate).isEmpty() ? candidate.deepCopy() : null;
    }

    private String chooseType(ObjectNode s, boolean minimal) {
      List<String> types = declaredTypes(s);
      if (types.isEmpty()) {
        return inferType(s);
      }
      if (types.size() == 1) {
        return types.get(0);
      }
      if (minimal) {
        return Collections.min(types, Comparator.comparingInt(TYPE_PREFERENCE::indexOf));
      }
      return types.get(random.nextInt(types.size()));
    }

    private JsonNode genObject(ObjectNode s, String name, int depth, RefChain refs,
        boolean minimal) {
      ObjectNode out = NODES.objectNode();
      JsonNode props = s.get("properties");
      Set<String> required = stringSet(s.get("required"));
      JsonNode extra = s.get("additionalProperties");
      JsonNode extraSchema = extra != null && extra.isObject() ? extra : MissingNode.getInstance();
      if (props != null && props.isObject()) {
        for (Map.Entry<String, JsonNode> e : props.properties()) {
          String key = e.getKey();
          boolean include = required.contains(key)
              || (!minimal && random.nextDouble() < optionalProbability);
          if (include) {
            out.set(key, gen(e.getValue(), key, depth + 1, refs));
          }
        }
      }
      for (String key : required) {
        if (!out.has(key)) {
          out.set(key, gen(extraSchema, key, depth + 1, refs));
        }
      }
      // A map-like object ({"additionalProperties": {...}} alone) would be empty otherwise.
      if (props == null && extra != null && extra.isObject() && !minimal && required.isEmpty()) {
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
          String key = Words.lorem(random, 1);
          if (out.has(key)) {
            key = key + (i + 1);
          }
          out.set(key, gen(extraSchema, key, depth + 1, refs));
        }
      }
      return out;
    }

    private JsonNode genArray(ObjectNode s, String name, int depth, RefChain refs,
        boolean minimal) {
      List<JsonNode> prefix = new ArrayList<>();
      JsonNode rest;
      JsonNode items = s.get("items");
      JsonNode prefixItems = s.get("prefixItems");
      if (prefixItems != null && prefixItems.isArray()) {
        prefixItems.forEach(prefix::add);
        rest = items;
      } else if (items != null && items.isArray()) {
        // Draft-04 tuple form.
        items.forEach(prefix::add);
        rest = s.get("additionalItems");
      } else {
        rest = items;
      }
      Integer minItems = nonNegativeInt(s.get("minItems"));
      Integer maxItems = nonNegativeInt(s.get("maxItems"));
      // The cap keeps absurd minItems from exhausting memory; such a value then fails validation.
      int lo = minItems != null ? Math.min(minItems, MAX_GENERATED_SIZE) : (minimal ? 0 : 1);
      if (minItems == null && maxItems != null) {
        lo = Math.min(lo, maxItems);
      }
      int hi;
      if (minimal) {
        hi = lo;
      } else {
        hi = Math.max(lo + 2, 3);
        if (maxItems != null) {
          hi = Math.min(hi, maxItems);
        }
      }
      boolean closed = rest != null && rest.isBoolean() && !rest.booleanValue();
      if (closed) {
        hi = Math.min(hi, prefix.size());
      }
      hi = Math.max(hi, lo);
      int count = lo + random.nextInt(hi - lo + 1);
      boolean unique = s.path("uniqueItems").asBoolean(false);
      String itemName = singular(name);
      ArrayNode out = NODES.arrayNode();
      for (int i = 0; i < count; i++) {
        JsonNode itemSchema = i < prefix.size() ? prefix.get(i) : rest;
        if (itemSchema != null && itemSchema.isBoolean() && itemSchema.booleanValue()) {
          itemSchema = null;
        }
        JsonNode item = gen(itemSchema, itemName, depth + 1, refs);
        if (unique) {
          for (int tries = 0; contains(out, item) && tries < 10; tries++) {
            item = gen(itemSchema, itemName, depth + 1, refs);
          }
          if (contains(out, item) && out.size() >= lo) {
            // Few distinct values exist (enum, boolean): a shorter array is still valid.
            continue;
          }
        }
        out.add(item);
      }
      return out;
    }

    private JsonNode genNumber(ObjectNode s, String name, boolean integer) {
      Bound lo = lowerBound(s);
      Bound hi = upperBound(s);
      BigDecimal multiple = positiveNumber(s.get("multipleOf"));
      BigDecimal step = integer ? integerStep(multiple) : multiple;
      return step != null ? discrete(lo, hi, step, name, integer) : continuous(lo, hi, name);
    }

    private JsonNode discrete(Bound lo, Bound hi, BigDecimal step, String name, boolean integer) {
      BigDecimal[] w = window(lo, hi, name);
      BigInteger[] k = steps(w[0], w[1], lo, hi, step);
      if (k[0].compareTo(k[1]) > 0 && (lo != null || hi != null)) {
        // The plausible window holds no multiple; widen to the schema's own bounds.
        BigDecimal ten = step.multiply(BigDecimal.TEN);
        BigDecimal a = lo != null ? lo.value : hi.value.subtract(ten);
        BigDecimal b = hi != null ? hi.value : lo.value.add(ten);
        k = steps(a, b, lo, hi, step);
        if (k[0].compareTo(k[1]) > 0) {
          k[1] = k[0];
        }
      }
      BigDecimal v = step.multiply(new BigDecimal(randomBetween(k[0], k[1])));
      return integer ? integerNode(v.toBigInteger()) : decimalNode(v);
    }

    private JsonNode continuous(Bound lo, Bound hi, String name) {
      BigDecimal[] w = window(lo, hi, name);
      BigDecimal x = w[0].add(w[1].subtract(w[0]).multiply(BigDecimal.valueOf(random.nextDouble())),
          MathContext.DECIMAL64);
      // Few decimals look realistic (prices, coordinates); keep more only if bounds force it.
      for (int scale : new int[] {2, 4, 8}) {
        BigDecimal rounded = x.setScale(scale, RoundingMode.HALF_UP);
        if (inBounds(rounded, lo, hi)) {
          return decimalNode(rounded);
        }
      }
      if (inBounds(x, lo, hi)) {
        return decimalNode(x);
      }
      if (lo != null && hi != null) {
        BigDecimal sum = lo.value.add(hi.value);
        return decimalNode(sum.divide(BigDecimal.valueOf(2), MathContext.DECIMAL64));
      }
      return decimalNode(
          lo != null ? lo.value.add(BigDecimal.ONE) : hi.value.subtract(BigDecimal.ONE));
    }

    private BigInteger randomBetween(BigInteger lo, BigInteger hi) {
      BigInteger span = hi.subtract(lo);
      if (span.signum() <= 0) {
        return lo;
      }
      long bound = span.bitLength() < 63 ? span.longValue() + 1 : Long.MAX_VALUE;
      return lo.add(BigInteger.valueOf(random.nextLong(bound)));
    }

    private String genString(ObjectNode s, String name) {
      Integer minLength = nonNegativeInt(s.get("minLength"));
      Integer maxLength = nonNegativeInt(s.get("maxLength"));
      int min = minLength == null ? 0 : Math.min(minLength, MAX_GENERATED_SIZE);
      int max = maxLength == null ? Integer.MAX_VALUE : maxLength;
      String format = textOrNull(s.get("format"));
      String regex = textOrNull(s.get("pattern"));
      if (regex != null) {
        Pattern compiled = compile(regex);
        if (compiled != null) {
          return patterned(compiled, regex, format, name, min, max);
        }
      }
      String formatted = format == null ? null : Words.format(format, random);
      if (formatted != null) {
        return Words.fitLength(formatted, min, max, random);
      }
      return Words.fitLength(Words.forName(name, random), min, max, random);
    }

    private String patterned(Pattern compiled, String regex, String format, String name, int min,
        int max) {
      // A realistic formatted value often satisfies the pattern too (dates, emails).
      boolean knownFormat = format != null && Words.format(format, random) != null;
      for (int i = 0; knownFormat && i < 4; i++) {
        String candidate = Words.format(format, random);
        if (Words.fits(candidate, min, max) && compiled.matcher(candidate).find()) {
          return candidate;
        }
      }
      String matchOnly = null;
      RegexGen.Node ast = RegexGen.parse(regex);
      for (int i = 0; ast != null && i < PATTERN_ATTEMPTS; i++) {
        // Padding or cutting can keep a match when the pattern is not anchored at both ends.
        String candidate = Words.fitLength(RegexGen.sample(ast, random), min, max, random);
        if (compiled.matcher(candidate).find()) {
          if (!knownFormat || Validator.formatOk(format, candidate)) {
            return candidate;
          }
          matchOnly = matchOnly == null ? candidate : matchOnly;
        }
      }
      if (matchOnly != null) {
        return matchOnly;
      }
      // Unsupported or unlucky pattern: unanchored patterns often accept ordinary values.
      for (int i = 0; i < PATTERN_ATTEMPTS / 2; i++) {
        String candidate = Words.fitLength(Words.forName(name, random), min, max, random);
        if (compiled.matcher(candidate).find()) {
          return candidate;
        }
      }
      return Words.fitLength(Words.forName(name, random), min, max, random);
    }

    private Pattern compile(String regex) {
      return patterns.computeIfAbsent(regex, r -> Optional.ofNullable(compileOrNull(r)))
          .orElse(null);
    }

    private String plainString(String name) {
      return Words.forName(name, random);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Schema helpers shared by generation and validation

  /**
   * The $refs followed on the current path. {@code recursion} is how often the most repeated ref
   * occurs: only true recursion (a ref inside its own expansion) makes values shrink, so deep but
   * finite $defs nesting keeps its optional properties.
   */
  private static final class RefChain {
    static final RefChain EMPTY = new RefChain(null, null, 0, 0);

    private final String ref;
    private final RefChain parent;
    final int length;
    final int recursion;

    private RefChain(String ref, RefChain parent, int length, int recursion) {
      this.ref = ref;
      this.parent = parent;
      this.length = length;
      this.recursion = recursion;
    }

    RefChain push(String next) {
      int occurrences = 1;
      for (RefChain c = this; c != null; c = c.parent) {
        if (next.equals(c.ref)) {
          occurrences++;
        }
      }
      return new RefChain(next, this, length + 1, Math.max(recursion, occurrences));
    }
  }

  /** A lower or upper numeric bound. */
  private record Bound(BigDecimal value, boolean exclusive) {
  }

  private static Bound lowerBound(JsonNode s) {
    BigDecimal min = number(s.get("minimum"));
    JsonNode ex = s.get("exclusiveMinimum");
    BigDecimal exMin = number(ex);
    if (exMin != null && (min == null || exMin.compareTo(min) >= 0)) {
      return new Bound(exMin, true);
    }
    if (min != null) {
      // Draft-04: "exclusiveMinimum": true modifies "minimum".
      return new Bound(min, ex != null && ex.isBoolean() && ex.booleanValue());
    }
    return null;
  }

  private static Bound upperBound(JsonNode s) {
    BigDecimal max = number(s.get("maximum"));
    JsonNode ex = s.get("exclusiveMaximum");
    BigDecimal exMax = number(ex);
    if (exMax != null && (max == null || exMax.compareTo(max) <= 0)) {
      return new Bound(exMax, true);
    }
    if (max != null) {
      return new Bound(max, ex != null && ex.isBoolean() && ex.booleanValue());
    }
    return null;
  }

  private static boolean inBounds(BigDecimal x, Bound lo, Bound hi) {
    if (lo != null) {
      int c = x.compareTo(lo.value);
      if (c < 0 || (c == 0 && lo.exclusive)) {
        return false;
      }
    }
    if (hi != null) {
      int c = x.compareTo(hi.value);
      return c < 0 || (c == 0 && !hi.exclusive);
    }
    return true;
  }

  /** A plausible closed range inside the bounds, preferring the name's hint or 0..100. */
  private static BigDecimal[] window(Bound lo, Bound hi, String name) {
    BigDecimal[] hint = Words.numberHint(name);
    BigDecimal a = hint[0];
    BigDecimal b = hint[1];
    if (lo != null && lo.value.compareTo(a) > 0) {
      a = lo.value;
    }
    if (hi != null && hi.value.compareTo(b) < 0) {
      b = hi.value;
    }
    if (a.compareTo(b) < 0) {
      return new BigDecimal[] {a, b};
    }
    BigDecimal hundred = BigDecimal.valueOf(100);
    if (lo != null && hi != null) {
      return new BigDecimal[] {lo.value, hi.value.min(lo.value.add(BigDecimal.valueOf(1000)))};
    }
    if (lo != null) {
      return new BigDecimal[] {lo.value, lo.value.add(hundred)};
    }
    return new BigDecimal[] {hi.value.subtract(hundred), hi.value};
  }

  /** Range of multipliers k with k * step inside [a, b] and inside the (exclusive) bounds. */
  private static BigInteger[] steps(BigDecimal a, BigDecimal b, Bound lo, Bound hi,
      BigDecimal step) {
    BigInteger kLo = a.divide(step, 0, RoundingMode.CEILING).toBigInteger();
    if (lo != null && lo.exclusive
        && step.multiply(new BigDecimal(kLo)).compareTo(lo.value) <= 0) {
      kLo = kLo.add(BigInteger.ONE);
    }
    BigInteger kHi = b.divide(step, 0, RoundingMode.FLOOR).toBigInteger();
    if (hi != null && hi.exclusive
        && step.multiply(new BigDecimal(kHi)).compareTo(hi.value) >= 0) {
      kHi = kHi.subtract(BigInteger.ONE);
    }
    return new BigInteger[] {kLo, kHi};
  }

  /** Smallest positive integer step whose multiples are all multiples of {@code multiple}. */
  private static BigDecimal integerStep(BigDecimal multiple) {
    if (multiple == null) {
      return BigDecimal.ONE;
    }
    BigDecimal m = multiple.stripTrailingZeros();
    if (m.scale() <= 0) {
      return new BigDecimal(m.toBigIntegerExact());
    }
    // m = p / 10^scale; the integer multiples of m are the multiples of p / gcd(p, 10^scale).
    BigInteger p = m.unscaledValue();
    BigInteger q = BigInteger.TEN.pow(m.scale());
    return new BigDecimal(p.divide(p.gcd(q)));
  }

  private static BigDecimal lcm(BigDecimal a, BigDecimal b) {
    int scale = Math.max(0,
        Math.max(a.stripTrailingZeros().scale(), b.stripTrailingZeros().scale()));
    BigInteger x = a.movePointRight(scale).toBigIntegerExact();
    BigInteger y = b.movePointRight(scale).toBigIntegerExact();
    BigInteger l = x.divide(x.gcd(y)).multiply(y).abs();
    return new BigDecimal(l).movePointLeft(scale);
  }

  private static JsonNode integerNode(BigInteger v) {
    if (v.bitLength() < 32) {
      return IntNode.valueOf(v.intValue());
    }
    if (v.bitLength() < 64) {
      return LongNode.valueOf(v.longValue());
    }
    return BigIntegerNode.valueOf(v);
  }

  private static JsonNode decimalNode(BigDecimal v) {
    BigDecimal stripped = v.stripTrailingZeros();
    // A double prints naturally; keep exact decimals only when a double would lose digits.
    if (stripped.precision() <= 15 && Math.abs(stripped.scale()) < 300) {
      return DoubleNode.valueOf(stripped.doubleValue());
    }
    return DecimalNode.valueOf(stripped);
  }

  private static BigDecimal number(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return null;
    }
    if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
      return null;
    }
    return n.decimalValue();
  }

  private static BigDecimal positiveNumber(JsonNode n) {
    BigDecimal v = number(n);
    return v != null && v.signum() > 0 ? v : null;
  }

  private static Integer nonNegativeInt(JsonNode n) {
    BigDecimal v = number(n);
    if (v == null || v.signum() < 0) {
      return null;
    }
    boolean huge = v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0;
    return huge ? Integer.MAX_VALUE : v.intValue();
  }

  private static String textOrNull(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  private static Set<String> stringSet(JsonNode n) {
    Set<String> out = new LinkedHashSet<>();
    if (n != null && n.isArray()) {
      for (JsonNode e : n) {
        if (e.isTextual()) {
          out.add(e.textValue());
        }
      }
    }
    return out;
  }

  private static List<String> declaredTypes(JsonNode s) {
    JsonNode type = s.get("type");
    List<String> out = new ArrayList<>();
    if (type == null) {
      return out;
    }
    if (type.isTextual()) {
      if (TYPE_PREFERENCE.contains(type.textValue())) {
        out.add(type.textValue());
      }
    } else if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.isTextual() && TYPE_PREFERENCE.contains(t.textValue())
            && !out.contains(t.textValue())) {
          out.add(t.textValue());
        }
      }
    }
    return out;
  }

  /** Type of a schema that does not say: guessed from the keywords it uses. */
  private static String inferType(JsonNode s) {
    if (s.has("properties") || s.has("required") || s.has("additionalProperties")
        || s.has("patternProperties")) {
      return "object";
    }
    if (s.has("items") || s.has("prefixItems") || s.has("minItems") || s.has("maxItems")
        || s.has("uniqueItems")) {
      return "array";
    }
    if (s.has("minimum") || s.has("maximum") || s.has("exclusiveMinimum")
        || s.has("exclusiveMaximum") || s.has("multipleOf")) {
      return "number";
    }
    return "string";
  }

  /** Rough size of the smallest value of a schema; used to end recursion early. */
  private static int cost(JsonNode root, JsonNode s, int hops) {
    if (s == null || !s.isObject()) {
      return 1;
    }
    if (hops > 3) {
      return 50;
    }
    if (s.has("const") || s.has("enum")) {
      return 1;
    }
    List<String> types = declaredTypes(s);
    if (types.contains("null")) {
      return 0;
    }
    int c = 0;
    JsonNode ref = s.get("$ref");
    if (ref != null && ref.isTextual()) {
      c = Math.max(c, 4 + cost(root, resolve(root, ref.textValue()), hops + 1));
    }
    for (String key : List.of("anyOf", "oneOf")) {
      JsonNode branches = s.get(key);
      if (branches != null && branches.isArray() && branches.size() > 0) {
        int best = Integer.MAX_VALUE;
        for (JsonNode b : branches) {
          best = Math.min(best, cost(root, b, hops + 1));
        }
        c = Math.max(c, 1 + best);
      }
    }
    JsonNode all = s.get("allOf");
    if (all != null && all.isArray()) {
      for (JsonNode b : all) {
        c = Math.max(c, 2 + cost(root, b, hops + 1));
      }
    }
    String type = types.isEmpty() ? inferType(s) : Collections.min(types,
        Comparator.comparingInt(TYPE_PREFERENCE::indexOf));
    if (type.equals("array")) {
      Integer min = nonNegativeInt(s.get("minItems"));
      c = Math.max(c, 2 + (min != null && min > 0 ? 4 : 0));
    } else if (type.equals("object")) {
      c = Math.max(c, 3 + 2 * stringSet(s.get("required")).size());
    } else {
      c = Math.max(c, 1);
    }
    return c;
  }

  /** Resolves a local reference; null when it is remote, an anchor, or points nowhere. */
  private static JsonNode resolve(JsonNode root, String ref) {
    if (ref.equals("#") || ref.isEmpty()) {
      return root;
    }
    if (!ref.startsWith("#/")) {
      return null;
    }
    try {
      JsonNode target = root.at(JsonPointer.compile(percentDecode(ref.substring(1))));
      return target.isMissingNode() ? null : target;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Collects a schema, its $ref targets and allOf branches as ref-free, allOf-free parts. */
  private static void flatten(JsonNode root, JsonNode schema, List<ObjectNode> parts,
      List<String> followed) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    parts.add(copyWithout(schema, "$ref", "allOf"));
    JsonNode ref = schema.get("$ref");
    // The counter is shared by the whole walk, so cyclic refs cannot blow up.
    if (ref != null && ref.isTextual() && followed.size() < HARD_REF_LIMIT) {
      followed.add(ref.textValue());
      flatten(root, resolve(root, ref.textValue()), parts, followed);
    }
    JsonNode all = schema.get("allOf");
    if (all != null && all.isArray()) {
      for (JsonNode branch : all) {
        flatten(root, branch, parts, followed);
      }
    }
  }

  private static ObjectNode copyWithout(JsonNode schema, String... keys) {
    ObjectNode copy = NODES.objectNode();
    List<String> skip = List.of(keys);
    for (Map.Entry<String, JsonNode> e : schema.properties()) {
      if (!skip.contains(e.getKey())) {
        copy.set(e.getKey(), e.getValue());
      }
    }
    return copy;
  }

  /** Merges the parts of an allOf into one schema that satisfies all of them (best effort). */
  private static ObjectNode mergeAll(List<ObjectNode> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ObjectNode merged = NODES.objectNode();
    for (ObjectNode part : parts) {
      for (Map.Entry<String, JsonNode> e : part.properties()) {
        mergeKeyword(merged, e.getKey(), e.getValue());
      }
    }
    // With additionalProperties false, a part forbids every property it does not list.
    JsonNode extra = merged.get("additionalProperties");
    JsonNode props = merged.get("properties");
    if (extra != null && extra.isBoolean() && !extra.booleanValue() && props != null
        && props.isObject()) {
      ObjectNode kept = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : props.properties()) {
        boolean allowed = true;
        for (ObjectNode part : parts) {
          JsonNode ap = part.get("additionalProperties");
          if (ap != null && ap.isBoolean() && !ap.booleanValue()
              && !part.path("properties").has(e.getKey())) {
            allowed = false;
          }
        }
        if (allowed) {
          kept.set(e.getKey(), e.getValue());
        }
      }
      merged.set("properties", kept);
    }
    return merged;
  }

  private static void mergeKeyword(ObjectNode merged, String key, JsonNode value) {
    JsonNode old = merged.get(key);
    if (old == null) {
      merged.set(key, value);
      return;
    }
    if (old.equals(value)) {
      return;
    }
    switch (key) {
      case "type":
        merged.set(key, intersectTypes(old, value));
        break;
      case "properties":
        if (old.isObject() && value.isObject()) {
          ObjectNode props = copyWithout(old);
          for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode prev = props.get(e.getKey());
            props.set(e.getKey(), prev == null ? e.getValue() : allOf(prev, e.getValue()));
          }
          merged.set(key, props);
        }
        break;
      case "required": {
        Set<String> names = stringSet(old);
        names.addAll(stringSet(value));
        ArrayNode arr = NODES.arrayNode();
        names.forEach(arr::add);
        merged.set(key, arr);
        break;
      }
      case "minimum":
      case "minLength":
      case "minItems":
      case "exclusiveMinimum":
        if (number(old) != null && number(value) != null
            && number(value).compareTo(number(old)) > 0) {
          merged.set(key, value);
        }
        break;
      case "maximum":
      case "maxLength":
      case "maxItems":
      case "exclusiveMaximum":
        if (number(old) != null && number(value) != null
            && number(value).compareTo(number(old)) < 0) {
          merged.set(key, value);
        }
        break;
      case "multipleOf":
        if (positiveNumber(old) != null && positiveNumber(value) != null) {
          merged.set(key, DecimalNode.valueOf(lcm(positiveNumber(old), positiveNumber(value))));
        }
        break;
      case "uniqueItems":
        merged.set(key, BooleanNode.valueOf(old.asBoolean(false) || value.asBoolean(false)));
        break;
      case "enum":
        if (old.isArray() && value.isArray()) {
          ArrayNode both = NODES.arrayNode();
          for (JsonNode a : old) {
            for (JsonNode b : value) {
              if (jsonEquals(a, b)) {
                both.add(a);
                break;
              }
            }
          }
          if (both.size() > 0) {
            merged.set(key, both);
          }
        }
        break;
      case "items":
      case "contains":
        merged.set(key, allOf(old, value));
        break;
      case "additionalProperties":
        if (old.isBoolean() && !old.booleanValue()) {
          break;
        }
        merged.set(key, value.isBoolean() || old.isBoolean() ? value : allOf(old, value));
        break;
      case "anyOf":
      case "oneOf":
        // Both parts demand a choice: choosing a pair is exactly "one of each".
        if (old.isArray() && value.isArray() && old.size() * value.size() <= MAX_CROSS_PRODUCT) {
          ArrayNode pairs = NODES.arrayNode();
          for (JsonNode a : old) {
            for (JsonNode b : value) {
              pairs.add(allOf(a, b));
            }
          }
          merged.set(key, pairs);
        }
        break;
      default:
        // Annotations and anything else: the first part wins.
        break;
    }
  }

  private static ObjectNode allOf(JsonNode a, JsonNode b) {
    ObjectNode node = NODES.objectNode();
    node.putArray("allOf").add(a).add(b);
    return node;
  }

  private static JsonNode intersectTypes(JsonNode a, JsonNode b) {
    List<String> left = declaredTypes(typeHolder(a));
    List<String> right = declaredTypes(typeHolder(b));
    if (left.isEmpty()) {
      return b;
    }
    if (right.isEmpty()) {
      return a;
    }
    List<String> out = new ArrayList<>();
    for (String t : left) {
      boolean keep = right.contains(t) || (t.equals("integer") && right.contains("number"));
      if (keep && !out.contains(t)) {
        out.add(t);
      }
    }
    if (left.contains("number") && right.contains("integer") && !out.contains("integer")) {
      out.add("integer");
    }
    if (out.isEmpty()) {
      return a;
    }
    if (out.size() == 1) {
      return TextNode.valueOf(out.get(0));
    }
    ArrayNode arr = NODES.arrayNode();
    out.forEach(arr::add);
    return arr;
  }

  private static JsonNode typeHolder(JsonNode type) {
    ObjectNode holder = NODES.objectNode();
    holder.set("type", type);
    return holder;
  }

  /** JSON Schema equality: numbers compare by value, so 1 equals 1.0. */
  private static boolean jsonEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      BigDecimal x = number(a);
      BigDecimal y = number(b);
      return x != null && y != null ? x.compareTo(y) == 0 : a.equals(b);
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!jsonEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !jsonEquals(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static boolean contains(ArrayNode array, JsonNode item) {
    for (JsonNode e : array) {
      if (jsonEquals(e, item)) {
        return true;
      }
    }
    return false;
  }

  private static Pattern compileOrNull(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  /** Item name hint for arrays: {@code cities} holds a {@code city}. */
  private static String singular(String name) {
    if (name.endsWith("ies") && name.length() > 3) {
      return name.substring(0, name.length() - 3) + "y";
    }
    for (String suffix : List.of("sses", "shes", "ches", "xes")) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - 2);
      }
    }
    if (name.endsWith("s") && !name.endsWith("ss") && !name.endsWith("us") && name.length() > 1) {
      return name.substring(0, name.length() - 1);
    }
    return name;
  }

  private static String pointer(String parent, String token) {
    return parent + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  // ---------------------------------------------------------------------------------------------
  // Validation

  /** Checks values against schemas resolved from one root. */
  private static final class Validator {
    private static final int MAX_SHOWN = 80;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME =
        Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?"
            + "([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern TIME =
        Pattern.compile("(\\d{2}:\\d{2}:\\d{2})(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})?");
    private static final Pattern DURATION = Pattern.compile(
        "P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern UUID_TEXT = Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IPV4 = Pattern.compile(
        "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    private static final Pattern HOSTNAME = Pattern.compile(
        "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final JsonNode root;

    Validator(JsonNode root) {
      this.root = root;
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
        out.add(msg(ptr, show(value) + " is " + (lo.exclusive ? "not greater than " : "less than ")
            + lo.value.toPlainString()));
      }
      Bound hi = upperBound(schema);
      if (hi != null && !inBounds(x, null, hi)) {
        out.add(msg(ptr, show(value) + " is " + (hi.exclusive ? "not less than " : "greater than ")
            + hi.value.toPlainString()));
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
      Pattern pattern = regex == null ? null : compileOrNull(regex);
      if (pattern != null && !pattern.matcher(text).find()) {
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
            Pattern pattern = compileOrNull(p.getKey());
            if (pattern != null && pattern.matcher(name).find()) {
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
          out.add(msg(ptr + "/" + i, "item is not allowed (only " + prefix.size()
              + " items are defined)"));
        } else {
          check(itemSchema, value.get(i), ptr + "/" + i, out);
        }
      }
    }

    private static Set<JsonNode> identitySet() {
      return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static boolean hasType(JsonNode value, String type) {
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

    private static String typeOf(JsonNode value) {
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

    private static boolean formatOk(String format, String text) {
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

    private static boolean parses(Runnable parse) {
      try {
        parse.run();
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }

    private static URI uri(String text) {
      try {
        return new URI(text);
      } catch (URISyntaxException e) {
        return null;
      }
    }

    private static boolean isIpv6(String text) {
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

    private static String msg(String ptr, String text) {
      return (ptr.isEmpty() ? "(root)" : ptr) + ": " + text;
    }

    private static String show(JsonNode value) {
      String text = value.toString();
      return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plausible text

  /** Word lists and formatted values that make synthesized strings look real. */
  private static final class Words {
    private static final String[] LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing "
        + "elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim "
        + "veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo").split(" ");
    private static final String[] FIRST = {"Alice", "Bruno", "Carla", "David", "Elena", "Farid",
        "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noah", "Olivia", "Priya"};
    private static final String[] LAST = {"Smith", "Garcia", "Johnson", "Chen", "Okafor", "Rossi",
        "Novak", "Tanaka", "Silva", "Kowalski", "Dubois", "Haddad", "Larsen", "Patel"};
    private static final String[][] PLACES = {{"Paris", "France"}, {"London", "United Kingdom"},
        {"Tokyo", "Japan"}, {"New York", "United States"}, {"San Francisco", "United States"},
        {"Berlin", "Germany"}, {"Madrid", "Spain"}, {"Toronto", "Canada"},
        {"Sydney", "Australia"}, {"Singapore", "Singapore"}, {"Nairobi", "Kenya"},
        {"Lisbon", "Portugal"}, {"Seoul", "South Korea"}, {"Mexico City", "Mexico"},
        {"Cape Town", "South Africa"}, {"Mumbai", "India"}};
    private static final String[] STREETS = {"Baker Street", "Main Street", "Elm Avenue",
        "Market Street", "Oak Lane", "Harbour Road", "Maple Drive"};
    private static final String[] COMPANIES = {"Acme Corp", "Globex", "Initech", "Umbrella Labs",
        "Stark Industries", "Hooli", "Vandelay Industries", "Wayne Enterprises"};
    private static final String[] PRODUCTS = {"Wireless Mouse", "Standing Desk", "Espresso Maker",
        "Noise-Cancelling Headphones", "Trail Running Shoes", "Mechanical Keyboard"};
    private static final String[] COLORS = {"red", "blue", "green", "orange", "purple", "teal",
        "black", "white"};
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CAD", "CHF"};
    private static final String[] LANGUAGES = {"English", "French", "Spanish", "German",
        "Japanese", "Portuguese"};
    private static final String[] LOCALES = {"en-US", "fr-FR", "es-ES", "de-DE", "ja-JP",
        "pt-BR"};
    private static final String[] TIMEZONES = {"UTC", "Europe/Paris", "Europe/London",
        "America/New_York", "America/Los_Angeles", "Asia/Tokyo"};
    private static final String[] EXTENSIONS = {"pdf", "txt", "csv", "json", "md"};

    private static final DateTimeFormatter DATE_TIME =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
    private static final DateTimeFormatter DATE =
        DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("HH:mm:ss'Z'", Locale.ROOT);
    /** 2020-01-01T00:00:00Z to 2027-01-01T00:00:00Z: recent enough to look real. */
    private static final long EPOCH_FROM = 1_577_836_800L;
    private static final long EPOCH_TO = 1_798_761_600L;

    private Words() {
    }

    static String lorem(RandomGenerator r, int words) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < words; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(pick(LOREM, r));
      }
      return sb.toString();
    }

    static boolean fits(String s, int min, int max) {
      int length = s.codePointCount(0, s.length());
      return length >= min && length <= max;
    }

    /** Pads with words or truncates so the code point length lies in [min, max]. */
    static String fitLength(String value, int min, int max, RandomGenerator r) {
      StringBuilder sb = new StringBuilder(value);
      int length = value.codePointCount(0, value.length());
      while (length < min) {
        String word = (sb.length() == 0 ? "" : " ") + pick(LOREM, r);
        sb.append(word);
        length += word.length();
      }
      String out = sb.toString();
      if (length > max) {
        out = out.substring(0, out.offsetByCodePoints(0, max));
        String trimmed = out.strip();
        if (trimmed.codePointCount(0, trimmed.length()) >= min) {
          out = trimmed;
        }
      }
      return out;
    }

    static String format(String format, RandomGenerator r) {
      switch (format) {
        case "date-time":
          return dateTime(r).format(DATE_TIME);
        case "date":
          return dateTime(r).format(DATE);
        case "time":
          return dateTime(r).format(TIME);
        case "duration":
          return r.nextBoolean() ? "P" + (1 + r.nextInt(30)) + "D" : "PT" + (5 + r.nextInt(115))
              + "M";
        case "email":
        case "idn-email":
          return email(r);
        case "uri":
        case "url":
        case "iri":
          return url(r);
        case "uri-reference":
        case "iri-reference":
          return "/" + pick(LOREM, r) + "/" + pick(LOREM, r);
        case "uuid":
          return uuid(r);
        case "ipv4":
          return r.nextBoolean()
              ? "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254))
              : "192.168." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        case "ipv6": {
          StringBuilder sb = new StringBuilder("2001:db8");
          for (int i = 0; i < 6; i++) {
            sb.append(':').append(Integer.toHexString(r.nextInt(0x10000)));
          }
          return sb.toString();
        }
        case "hostname":
        case "idn-hostname":
          return pick(LOREM, r) + ".example.com";
        default:
          return null;
      }
    }

    /** A value that suits a property name ({@code city}, {@code email}, ...) or lorem words. */
    static String forName(String name, RandomGenerator r) {
      List<String> t = tokens(name);
      String joined = String.join("", t);
      if (t.isEmpty()) {
        return lorem(r, 1 + r.nextInt(3));
      }
      if (has(t, "email", "mail") || joined.contains("email")) {
        return email(r);
      }
      if (has(t, "url", "uri", "website", "link", "homepage", "href")) {
        return url(r);
      }
      if (has(t, "uuid", "guid")) {
        return uuid(r);
      }
      if (has(t, "username", "login", "handle", "nickname") || (has(t, "user") && has(t, "name"))) {
        return pick(FIRST, r).toLowerCase(Locale.ROOT) + (10 + r.nextInt(90));
      }
      if (joined.contains("firstname") || joined.contains("givenname")) {
        return pick(FIRST, r);
      }
      if (joined.contains("lastname") || joined.contains("surname")
          || joined.contains("familyname")) {
        return pick(LAST, r);
      }
      if (has(t, "city", "town")) {
        return pick(PLACES, r)[0];
      }
      if (has(t, "country")) {
        return pick(PLACES, r)[1];
      }
      if (has(t, "location", "place", "destination", "origin", "venue")) {
        String[] place = pick(PLACES, r);
        return place[0] + ", " + place[1];
      }
      if (has(t, "address", "street")) {
        return (1 + r.nextInt(250)) + " " + pick(STREETS, r);
      }
      if (has(t, "zip", "zipcode", "postal", "postcode")) {
        return String.format(Locale.ROOT, "%05d", r.nextInt(100_000));
      }
      if (has(t, "phone", "mobile", "telephone", "tel")) {
        return String.format(Locale.ROOT, "+1-555-01%02d", r.nextInt(100));
      }
      if (has(t, "company", "organization", "organisation", "employer", "org")) {
        return pick(COMPANIES, r);
      }
      if (has(t, "product", "item")) {
        return pick(PRODUCTS, r);
      }
      if (has(t, "currency")) {
        return pick(CURRENCIES, r);
      }
      if (has(t, "language")) {
        return pick(LANGUAGES, r);
      }
      if (has(t, "lang", "locale")) {
        return pick(LOCALES, r);
      }
      if (has(t, "color", "colour")) {
        return pick(COLORS, r);
      }
      if (has(t, "timezone", "tz")) {
        return pick(TIMEZONES, r);
      }
      if (has(t, "file", "filename", "path", "filepath")) {
        return pick(LOREM, r) + "/" + pick(LOREM, r) + "." + pick(EXTENSIONS, r);
      }
      if (has(t, "date", "birthday", "dob")) {
        return dateTime(r).format(DATE);
      }
      if (has(t, "timestamp", "datetime") || (t.size() > 1 && t.get(t.size() - 1).equals("at"))) {
        return dateTime(r).format(DATE_TIME);
      }
      if (has(t, "name", "author", "owner", "customer", "person", "contact", "assignee",
          "recipient", "sender")) {
        return pick(FIRST, r) + " " + pick(LAST, r);
      }
      if (has(t, "title", "subject", "headline", "topic")) {
        return capitalize(lorem(r, 2 + r.nextInt(3)));
      }
      if (has(t, "description", "summary", "text", "content", "message", "body", "comment",
          "note", "notes", "query", "prompt", "question", "reason", "explanation", "details",
          "instructions", "answer")) {
        return capitalize(lorem(r, 6 + r.nextInt(7))) + ".";
      }
      if (has(t, "id")) {
        String prefix = t.size() > 1 ? t.get(0) : "id";
        return prefix + "_" + Long.toHexString(r.nextLong() >>> 32);
      }
      return lorem(r, 1 + r.nextInt(3));
    }

    /** A plausible numeric range for a property name; 0..100 when the name says nothing. */
    static BigDecimal[] numberHint(String name) {
      List<String> t = tokens(name);
      int lo = 0;
      int hi = 100;
      if (has(t, "latitude", "lat")) {
        lo = -90;
        hi = 90;
      } else if (has(t, "longitude", "lon", "lng")) {
        lo = -180;
        hi = 180;
      } else if (has(t, "age")) {
        lo = 18;
        hi = 80;
      } else if (has(t, "year")) {
        lo = 1990;
        hi = 2026;
      } else if (has(t, "count", "quantity", "qty", "limit", "page", "size", "num", "n", "k",
          "top")) {
        lo = 1;
        hi = 10;
      } else if (has(t, "price", "amount", "cost", "total")) {
        lo = 1;
        hi = 500;
      } else if (has(t, "rating", "stars")) {
        lo = 1;
        hi = 5;
      }
      return new BigDecimal[] {BigDecimal.valueOf(lo), BigDecimal.valueOf(hi)};
    }

    private static LocalDateTime dateTime(RandomGenerator r) {
      return LocalDateTime.ofEpochSecond(r.nextLong(EPOCH_FROM, EPOCH_TO), 0, ZoneOffset.UTC);
    }

    private static String email(RandomGenerator r) {
      return pick(FIRST, r).toLowerCase(Locale.ROOT) + "." + pick(LAST, r).toLowerCase(Locale.ROOT)
          + "@example.com";
    }

    private static String url(RandomGenerator r) {
      return "https://example.com/" + pick(LOREM, r) + "/" + pick(LOREM, r);
    }

    private static String uuid(RandomGenerator r) {
      long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
      long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(msb, lsb).toString();
    }

    private static String capitalize(String s) {
      return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static List<String> tokens(String name) {
      List<String> out = new ArrayList<>();
      if (name == null) {
        return out;
      }
      String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
          .replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2")
          .toLowerCase(Locale.ROOT);
      for (String token : spaced.split("[^a-z0-9]+")) {
        if (!token.isEmpty()) {
          out.add(token);
        }
      }
      return out;
    }

    private static boolean has(List<String> tokens, String... words) {
      for (String w : words) {
        if (tokens.contains(w)) {
          return true;
        }
      }
      return false;
    }

    private static <T> T pick(T[] values, RandomGenerator r) {
      return values[r.nextInt(values.length)];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Regular expressions

  /**
   * Samples strings from the regular-expression subset seen in tool schemas: literals, escapes,
   * classes, groups, alternation and quantifiers. Lookarounds and word boundaries are ignored
   * (callers re-check every sample against the real pattern); backreferences, Unicode properties
   * and inline flags make the pattern unsupported.
   */
  private static final class RegexGen {
    /** Thrown without a stack trace when a construct cannot be sampled. */
    private static final class Unsupported extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Unsupported() {
        super(null, null, false, false);
      }
    }

    /** One node of the parsed pattern. */
    interface Node {
      void emit(RandomGenerator r, StringBuilder out);
    }

    private static final Node EMPTY = (r, out) -> { };
    private static final Pattern BRACES = Pattern.compile("\\{(\\d+)(,(\\d*))?\\}");
    private static final int[][] DIGIT = {{'0', '9'}};
    private static final int[][] WORD = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}};
    private static final int[][] SPACE = {{' ', ' '}};
    private static final int[][] DOT = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}};
    private static final int MAX_REPEAT = 10_000;
    private static final int MAX_POOL = 4096;

    private final String src;
    private int pos;

    private RegexGen(String src) {
      this.src = src;
    }

    /** Parses a pattern; null when it uses something this class cannot sample. */
    static Node parse(String pattern) {
      try {
        RegexGen parser = new RegexGen(pattern);
        Node node = parser.alternation();
        return parser.pos == pattern.length() ? node : null;
      } catch (Unsupported | NumberFormatException e) {
        return null;
      }
    }

    static String sample(Node node, RandomGenerator r) {
      StringBuilder sb = new StringBuilder();
      node.emit(r, sb);
      return sb.toString();
    }

    private boolean more() {
      return pos < src.length();
    }

    private int peek() {
      return src.codePointAt(pos);
    }

    private int next() {
      if (!more()) {
        throw new Unsupported();
      }
      int c = src.codePointAt(pos);
      pos += Character.charCount(c);
      return c;
    }

    private Node alternation() {
      List<Node> options = new ArrayList<>();
      options.add(sequence());
      while (more() && peek() == '|') {
        pos++;
        options.add(sequence());
      }
      if (options.size() == 1) {
        return options.get(0);
      }
      return (r, out) -> options.get(r.nextInt(options.size())).emit(r, out);
    }

    private Node sequence() {
      List<Node> items = new ArrayList<>();
      while (more() && peek() != '|' && peek() != ')') {
        items.add(quantified(atom()));
      }
      return (r, out) -> {
        for (Node item : items) {
          item.emit(r, out);
        }
      };
    }

    private Node atom() {
      int c = next();
      switch (c) {
        case '(':
          return group();
        case '[':
          return charClass();
        case '.':
          return set(DOT, false);
        case '^':
        case '$':
          return EMPTY;
        case '\\':
          return escape();
        case '*':
        case '+':
        case '?':
          throw new Unsupported();
        default:
          return literal(c);
      }
    }

    private Node group() {
      boolean discard = false;
      if (src.startsWith("?:", pos)) {
        pos += 2;
      } else if (src.startsWith("?=", pos) || src.startsWith("?!", pos)) {
        pos += 2;
        discard = true;
      } else if (src.startsWith("?<=", pos) || src.startsWith("?<!", pos)) {
        pos += 3;
        discard = true;
      } else if (src.startsWith("?<", pos)) {
        int end = src.indexOf('>', pos);
        if (end < 0) {
          throw new Unsupported();
        }
        pos = end + 1;
      } else if (more() && peek() == '?') {
        throw new Unsupported();
      }
      Node inner = alternation();
      if (!more() || peek() != ')') {
        throw new Unsupported();
      }
      pos++;
      return discard ? EMPTY : inner;
    }

    private Node quantified(Node atom) {
      if (!more()) {
        return atom;
      }
      int c = peek();
      int min;
      int max;
      if (c == '*' || c == '+' || c == '?') {
        pos++;
        min = c == '+' ? 1 : 0;
        max = c == '?' ? 1 : -1;
      } else if (c == '{') {
        Matcher m = BRACES.matcher(src).region(pos, src.length());
        if (!m.lookingAt()) {
          return atom;
        }
        min = Integer.parseInt(m.group(1));
        max = m.group(2) == null ? min : m.group(3).isEmpty() ? -1 : Integer.parseInt(m.group(3));
        pos = m.end();
      } else {
        return atom;
      }
      if (more() && (peek() == '?' || peek() == '+')) {
        pos++; // lazy or possessive: same language
      }
      if (max == -1) {
        max = min + 3; // keep unbounded repeats short
      }
      if (max < min || max > MAX_REPEAT) {
        throw new Unsupported();
      }
      int lo = min;
      int hi = max;
      return (r, out) -> {
        int n = lo + r.nextInt(hi - lo + 1);
        for (int i = 0; i < n; i++) {
          atom.emit(r, out);
        }
      };
    }

    private Node escape() {
      int c = next();
      switch (c) {
        case 'd':
          return set(DIGIT, false);
        case 'D':
          return set(DIGIT, true);
        case 'w':
          return set(WORD, false);
        case 'W':
          return set(WORD, true);
        case 's':
          return set(SPACE, false);
        case 'S':
          return set(SPACE, true);
        case 'b':
        case 'B':
          return EMPTY; // word boundary: the final match check decides
        default:
          return literal(escapedChar(c));
      }
    }

    private int escapedChar(int c) {
      switch (c) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case 'f':
          return '\f';
        case 'v':
          return 0x0B;
        case '0':
          return 0;
        case 'x':
          return hex(2);
        case 'u':
          return hex(4);
        default:
          if (Character.isLetterOrDigit(c)) {
            throw new Unsupported(); // backreference, \p{..}, \k<..>, \cX, ...
          }
          return c;
      }
    }

    private int hex(int digits) {
      if (pos + digits > src.length()) {
        throw new Unsupported();
      }
      int v = Integer.parseInt(src.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    }

    private Node charClass() {
      boolean negated = false;
      if (more() && peek() == '^') {
        negated = true;
        pos++;
      }
      List<int[]> ranges = new ArrayList<>();
      while (true) {
        int c = next();
        if (c == ']') {
          break;
        }
        int lo;
        if (c == '\\') {
          int e = next();
          int[][] shorthand = e == 'd' ? DIGIT : e == 'w' ? WORD : e == 's' ? SPACE : null;
          if (shorthand != null) {
            ranges.addAll(List.of(shorthand));
            continue;
          }
          lo = classEscape(e);
        } else {
          lo = c;
        }
        int hi = lo;
        if (more() && peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
          pos++;
          int d = next();
          hi = d == '\\' ? classEscape(next()) : d;
          if (hi < lo) {
            throw new Unsupported();
          }
        }
        ranges.add(new int[] {lo, hi});
      }
      return set(ranges.toArray(new int[0][]), negated);
    }

    private int classEscape(int e) {
      if (e == 'D' || e == 'W' || e == 'S' || e == 'd' || e == 'w' || e == 's') {
        throw new Unsupported();
      }
      return e == 'b' ? 0x08 : escapedChar(e);
    }

    private static Node literal(int c) {
      return (r, out) -> out.appendCodePoint(c);
    }

    /** Precomputes the characters to draw from, preferring printable ASCII. */
    private static Node set(int[][] ranges, boolean negated) {
      List<Integer> pool = new ArrayList<>();
      if (negated) {
        for (int[] candidates : new int[][] {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}}) {
          for (int c = candidates[0]; c <= candidates[1]; c++) {
            if (!inRanges(ranges, c)) {
              pool.add(c);
            }
          }
        }
        for (int c = 0x20; pool.isEmpty() && c <= 0x7E; c++) {
          if (!inRanges(ranges, c)) {
            pool.add(c);
          }
        }
      } else {
        for (int c = 0x20; c <= 0x7E; c++) {
          if (inRanges(ranges, c)) {
            pool.add(c);
          }
        }
        if (pool.isEmpty()) {
          // Only non-ASCII characters allowed (e.g. [а-я]): draw from the ranges themselves.
          for (int[] range : ranges) {
            for (int c = range[0]; c <= range[1] && pool.size() < MAX_POOL; c++) {
              if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
                pool.add(c);
              }
            }
          }
        }
      }
      if (pool.isEmpty()) {
        throw new Unsupported();
      }
      int[] chars = pool.stream().mapToInt(Integer::intValue).toArray();
      return (r, out) -> out.appendCodePoint(chars[r.nextInt(chars.length)]);
    }

    private static boolean inRanges(int[][] ranges, int c) {
      for (int[] range : ranges) {
        if (c >= range[0] && c <= range[1]) {
          return true;
        }
      }
      return false;
    }
  }
}
