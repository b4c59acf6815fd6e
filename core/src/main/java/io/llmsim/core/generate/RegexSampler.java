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
 * Samples strings from the regular-expression subset seen in tool schemas: literals, escapes,
 * classes, groups, alternation and quantifiers. Lookarounds and word boundaries are ignored
 * (callers re-check every sample against the real pattern); backreferences, Unicode properties
 * and inline flags make the pattern unsupported.
 */
final class RegexSampler {
  /** Thrown without a stack trace when a construct cannot be sampled. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** One node of the parsed pattern; emitting charges the request's budget. */
  interface Node {
    void emit(RandomGenerator r, StringBuilder out, GenerationBudget budget);
  }

  static final Node EMPTY = (r, out, budget) -> budget.step(1);
  static final Pattern BRACES = Pattern.compile("\\{(\\d+)(,(\\d*))?\\}");
  static final int[][] DIGIT = {{'0', '9'}};
  static final int[][] WORD = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}};
  static final int[][] SPACE = {{' ', ' '}};
  static final int[][] DOT = {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}};
  /** Larger counts are unsupported (the value then comes from plain words): no schema needs more. */
  static final int MAX_REPEAT = 10_000;
  static final int MAX_POOL = 4096;

  private final String src;
  private int pos;
  /** Open groups: the parser recurses once per level, so nesting is capped. */
  private int depth;

  private RegexSampler(String src) {
    this.src = src;
  }

  /** Parses a pattern; null when it uses something this class cannot sample. */
  static Node parse(String pattern) {
    try {
      RegexSampler parser = new RegexSampler(pattern);
      Node node = parser.alternation();
      return parser.pos == pattern.length() ? node : null;
    } catch (Unsupported | NumberFormatException e) {
      return null;
    }
  }

  static String sample(Node node, RandomGenerator r, GenerationBudget budget) {
    StringBuilder sb = new StringBuilder();
    node.emit(r, sb, budget);
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
    return (r, out, budget) -> options.get(r.nextInt(options.size())).emit(r, out, budget);
  }

  private Node sequence() {
    List<Node> items = new ArrayList<>();
    while (more() && peek() != '|' && peek() != ')') {
      items.add(quantified(atom()));
    }
    return (r, out, budget) -> {
      for (Node item : items) {
        item.emit(r, out, budget);
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
    if (++depth > GenerationBudget.MAX_DEPTH) {
      throw new Unsupported();
    }
    Node inner = alternation();
    if (!more() || peek() != ')') {
      throw new Unsupported();
    }
    depth--;
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
    return (r, out, budget) -> {
      int n = lo + r.nextInt(hi - lo + 1);
      for (int i = 0; i < n; i++) {
        budget.step(1); // an empty atom repeated still costs
        atom.emit(r, out, budget);
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
    int v = 0;
    for (int end = pos + digits; pos < end; pos++) {
      // ASCII hex digits only, as java.util.regex reads them (parseInt would take a sign).
      char c = src.charAt(pos);
      int digit = c < 0x80 ? Character.digit(c, 16) : -1;
      if (digit < 0) {
        throw new Unsupported();
      }
      v = v * 16 + digit;
    }
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

  static Node literal(int c) {
    return (r, out, budget) -> {
      budget.bytes(1);
      out.appendCodePoint(c);
    };
  }

  /** Precomputes the characters to draw from, preferring printable ASCII. */
  static Node set(int[][] ranges, boolean negated) {
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
    return (r, out, budget) -> {
      budget.bytes(1);
      out.appendCodePoint(chars[r.nextInt(chars.length)]);
    };
  }

  static boolean inRanges(int[][] ranges, int c) {
    for (int[] range : ranges) {
      if (c >= range[0] && c <= range[1]) {
        return true;
      }
    }
    return false;
  }
}
