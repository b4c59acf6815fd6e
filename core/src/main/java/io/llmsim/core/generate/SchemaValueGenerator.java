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

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Times one $ref may recur on a path before generation starts choosing the smallest values. */
  static final int DEFAULT_MAX_REF_DEPTH = 3;
  /** Structural nesting before generation starts choosing the smallest values. */
  static final int DEFAULT_MAX_NESTING = 10;
  static final double DEFAULT_OPTIONAL_PROBABILITY = 0.5;

  static final SchemaValueGenerator DEFAULT = new SchemaValueGenerator(
      DEFAULT_MAX_REF_DEPTH, DEFAULT_MAX_NESTING, DEFAULT_OPTIONAL_PROBABILITY);

  // Hard stops for schemas that cannot terminate (self-referencing $ref chains, required cycles).
  static final int HARD_REF_LIMIT = 32;
  static final int HARD_NESTING_LIMIT = 64;
  static final int VALIDATE_HOP_LIMIT = 256;

  static final int CHOICE_ATTEMPTS = 6;
  /** Bounds the total retries of one generate call, so nested unsatisfiable choices stay cheap. */
  static final int RETRY_BUDGET = 2000;
  static final int PATTERN_ATTEMPTS = 16;
  static final double EXAMPLE_PROBABILITY = 0.3;
  static final int MAX_CROSS_PRODUCT = 64;
  /** Upper limit for generated array items and string code points. */
  static final int MAX_GENERATED_SIZE = 100_000;

  /** Cheapest first: used to end recursion with the smallest value a type list allows. */
  static final List<String> TYPE_PREFERENCE =
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
    return generate(schema, random, GenerationBudget.forRequest());
  }

  /**
   * Like {@link #generate(JsonNode, RandomGenerator)}, charging {@code budget}: the one request's
   * budget, shared by every value the answer holds.
   *
   * @throws BudgetExceededException when the value would cost more than the budget allows
   */
  public JsonNode generate(JsonNode schema, RandomGenerator random, GenerationBudget budget) {
    Objects.requireNonNull(random, "random");
    JsonNode root = schema == null ? MissingNode.getInstance() : schema;
    Run run = new Run(root, random, budget);
    try {
      return run.gen(root, "", 0, RefChain.EMPTY);
    } catch (BudgetExceededException e) {
      throw e;
    } catch (RuntimeException e) {
      // Contract: a malformed schema must not break a simulated response; a string is harmless.
      return TextNode.valueOf(PlausibleWords.lorem(random, 2));
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
    new SchemaValidator(root, GenerationBudget.forRequest()).check(root, actual, "", out);
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Generation

  /** State of one generate call. */
  final class Run {
    private final JsonNode root;
    private final RandomGenerator random;
    private final GenerationBudget budget;
    private final SchemaValidator validator;
    private final Map<String, Optional<Pattern>> patterns = new HashMap<>();
    /** Items of one array share a name: reading a hint from it once makes numbers ~5x cheaper. */
    private final Map<String, BigDecimal[]> hints = new HashMap<>();
    private int retryBudget = RETRY_BUDGET;

    Run(JsonNode root, RandomGenerator random, GenerationBudget budget) {
      this.root = root;
      this.random = random;
      this.budget = budget;
      this.validator = new SchemaValidator(root, budget);
    }

    JsonNode gen(JsonNode schema, String name, int depth, RefChain refs) {
      budget.node();
      budget.bytes(1);
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
          String text = genString(s, name);
          budget.bytes(text.length() + 2);
          return TextNode.valueOf(text);
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
            budget.bytes(key.length() + 3);
            out.set(key, gen(e.getValue(), key, depth + 1, refs));
          }
        }
      }
      for (String key : required) {
        if (!out.has(key)) {
          budget.bytes(key.length() + 3);
          out.set(key, gen(extraSchema, key, depth + 1, refs));
        }
      }
      // A map-like object ({"additionalProperties": {...}} alone) would be empty otherwise.
      if (props == null && extra != null && extra.isObject() && !minimal && required.isEmpty()) {
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
          String key = PlausibleWords.lorem(random, 1);
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
          for (int tries = 0; contains(out, item, budget) && tries < 10; tries++) {
            item = gen(itemSchema, itemName, depth + 1, refs);
          }
          if (contains(out, item, budget) && out.size() >= lo) {
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
      BigDecimal[] w = window(lo, hi, hint(name));
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
      BigDecimal[] w = window(lo, hi, hint(name));
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
      String formatted = format == null ? null : PlausibleWords.format(format, random);
      if (formatted != null) {
        return PlausibleWords.fitLength(formatted, min, max, random);
      }
      return PlausibleWords.fitLength(PlausibleWords.forName(name, random), min, max, random);
    }

    private String patterned(Pattern compiled, String regex, String format, String name, int min,
        int max) {
      // A realistic formatted value often satisfies the pattern too (dates, emails).
      boolean knownFormat = format != null && PlausibleWords.format(format, random) != null;
      for (int i = 0; knownFormat && i < 4; i++) {
        String candidate = PlausibleWords.format(format, random);
        if (PlausibleWords.fits(candidate, min, max) && budget.find(compiled, candidate)) {
          return candidate;
        }
      }
      String matchOnly = null;
      RegexSampler.Node ast = RegexSampler.parse(regex);
      for (int i = 0; ast != null && i < PATTERN_ATTEMPTS; i++) {
        // Padding or cutting can keep a match when the pattern is not anchored at both ends.
        String candidate = PlausibleWords.fitLength(RegexSampler.sample(ast, random, budget), min, max, random);
        if (budget.find(compiled, candidate)) {
          if (!knownFormat || SchemaValidator.formatOk(format, candidate)) {
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
        String candidate = PlausibleWords.fitLength(PlausibleWords.forName(name, random), min, max, random);
        if (budget.find(compiled, candidate)) {
          return candidate;
        }
      }
      return PlausibleWords.fitLength(PlausibleWords.forName(name, random), min, max, random);
    }

    private BigDecimal[] hint(String name) {
      return hints.computeIfAbsent(name, PlausibleWords::numberHint);
    }

    private Pattern compile(String regex) {
      return patterns.computeIfAbsent(regex, r -> Optional.ofNullable(budget.compile(r)))
          .orElse(null);
    }

    private String plainString(String name) {
      return PlausibleWords.forName(name, random);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Schema helpers shared by generation and validation

  /**
   * The $refs followed on the current path. {@code recursion} is how often the most repeated ref
   * occurs: only true recursion (a ref inside its own expansion) makes values shrink, so deep but
   * finite $defs nesting keeps its optional properties.
   */
  static final class RefChain {
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
  record Bound(BigDecimal value, boolean exclusive) {
  }

  static Bound lowerBound(JsonNode s) {
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

  static Bound upperBound(JsonNode s) {
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

  static boolean inBounds(BigDecimal x, Bound lo, Bound hi) {
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

  /** A plausible closed range inside the bounds, preferring the name's hint (else 0..100). */
  static BigDecimal[] window(Bound lo, Bound hi, BigDecimal[] hint) {
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
  static BigInteger[] steps(BigDecimal a, BigDecimal b, Bound lo, Bound hi,
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
  static BigDecimal integerStep(BigDecimal multiple) {
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

  static BigDecimal lcm(BigDecimal a, BigDecimal b) {
    int scale = Math.max(0,
        Math.max(a.stripTrailingZeros().scale(), b.stripTrailingZeros().scale()));
    BigInteger x = a.movePointRight(scale).toBigIntegerExact();
    BigInteger y = b.movePointRight(scale).toBigIntegerExact();
    BigInteger l = x.divide(x.gcd(y)).multiply(y).abs();
    return new BigDecimal(l).movePointLeft(scale);
  }

  static JsonNode integerNode(BigInteger v) {
    if (v.bitLength() < 32) {
      return IntNode.valueOf(v.intValue());
    }
    if (v.bitLength() < 64) {
      return LongNode.valueOf(v.longValue());
    }
    return BigIntegerNode.valueOf(v);
  }

  static JsonNode decimalNode(BigDecimal v) {
    BigDecimal stripped = v.stripTrailingZeros();
    // A double prints naturally; keep exact decimals only when a double would lose digits.
    if (stripped.precision() <= 15 && Math.abs(stripped.scale()) < 300) {
      return DoubleNode.valueOf(stripped.doubleValue());
    }
    return DecimalNode.valueOf(stripped);
  }

  static BigDecimal number(JsonNode n) {
    if (n == null || !n.isNumber()) {
      return null;
    }
    if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) {
      return null;
    }
    return n.decimalValue();
  }

  static BigDecimal positiveNumber(JsonNode n) {
    BigDecimal v = number(n);
    return v != null && v.signum() > 0 ? v : null;
  }

  static Integer nonNegativeInt(JsonNode n) {
    BigDecimal v = number(n);
    if (v == null || v.signum() < 0) {
      return null;
    }
    boolean huge = v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0;
    return huge ? Integer.MAX_VALUE : v.intValue();
  }

  static String textOrNull(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  static Set<String> stringSet(JsonNode n) {
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

  static List<String> declaredTypes(JsonNode s) {
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
  static String inferType(JsonNode s) {
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
  static int cost(JsonNode root, JsonNode s, int hops) {
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
  static JsonNode resolve(JsonNode root, String ref) {
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

  static String percentDecode(String s) {
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
  static void flatten(JsonNode root, JsonNode schema, List<ObjectNode> parts,
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

  static ObjectNode copyWithout(JsonNode schema, String... keys) {
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
  static ObjectNode mergeAll(List<ObjectNode> parts) {
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

  static void mergeKeyword(ObjectNode merged, String key, JsonNode value) {
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

  static ObjectNode allOf(JsonNode a, JsonNode b) {
    ObjectNode node = NODES.objectNode();
    node.putArray("allOf").add(a).add(b);
    return node;
  }

  static JsonNode intersectTypes(JsonNode a, JsonNode b) {
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

  static JsonNode typeHolder(JsonNode type) {
    ObjectNode holder = NODES.objectNode();
    holder.set("type", type);
    return holder;
  }

  /** JSON Schema equality: numbers compare by value, so 1 equals 1.0. */
  static boolean jsonEquals(JsonNode a, JsonNode b) {
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

  static boolean contains(ArrayNode array, JsonNode item, GenerationBudget budget) {
    for (JsonNode e : array) {
      budget.step(1);
      if (jsonEquals(e, item)) {
        return true;
      }
    }
    return false;
  }

  /** Item name hint for arrays: {@code cities} holds a {@code city}. */
  static String singular(String name) {
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

  static String pointer(String parent, String token) {
    return parent + "/" + token.replace("~", "~0").replace("/", "~1");
  }
}
