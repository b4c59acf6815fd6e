package io.llmsim.store;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmsim.core.json.Json;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets before anything is stored or logged. Applied to every exchange before it reaches
 * a store; also usable on single headers, queries and bodies for log lines.
 *
 * <ul>
 *   <li>Headers named {@link #DEFAULT_HEADERS} (any case) or configured extra names keep their name
 *       and get the value {@value #REDACTED}.
 *   <li>The {@code key} query parameter (Gemini's API key) and configured extra parameters, their
 *       names compared percent-decoded ({@code k%65y}) and in any case.
 *   <li>Configured JSON-pointer fields of JSON request bodies (names compared decoded, so
 *       {@code "api\u005fkey"} is {@code api_key}).
 *   <li>Secret-looking text anywhere in header values, paths, queries, bodies, tags and the model:
 *       OpenAI ({@code sk-…}, {@code sk-proj-…}), Anthropic ({@code sk-ant-…}), Google
 *       ({@code AIza…}) keys, {@code Bearer} tokens and {@code Basic} credentials, plus configured
 *       extra patterns.
 * </ul>
 *
 * <p>Text is normalised before it is matched, so an encoding cannot hide a secret: bodies are
 * decoded from their {@code content-encoding} first ({@link ContentDecoding}; an exchange whose
 * body cannot be decoded is refused), path segments and query parts are matched percent-decoded
 * too, and a JSON string literal with escapes ({@code "sk-\u0070roj-…"}) is matched decoded (a
 * few levels deep, for JSON inside JSON strings) and replaced whole when it holds a secret.
 * {@code Basic} credentials are matched by decoding their base64.
 *
 * <p>Pattern redaction of bodies works on the bytes read as ISO-8859-1, so every byte that is not
 * part of a match is kept exactly (recorded SSE streams must replay byte for byte). Response chunks
 * are scanned joined, so a key the network split across two chunks is found too. Thread-safe and
 * immutable.
 */
public final class Redactor {
  /** What a redacted value becomes. */
  public static final String REDACTED = "[redacted]";

  /** Header names whose values are always secret. */
  public static final Set<String> DEFAULT_HEADERS = Set.of("authorization", "x-api-key", "api-key",
      "x-goog-api-key", "cookie", "set-cookie", "proxy-authorization");

  /** Query parameters whose values are always secret. */
  public static final Set<String> DEFAULT_QUERY_PARAMS = Set.of("key");

  /**
   * Secret-looking text. A pattern with a group named {@code secret} redacts only that group
   * ("Bearer " stays, the token goes). Each starts with its literal, not with a look-behind, so the
   * scan is cheap: a look-behind first is tried at every position of a large body.
   */
  private static final List<Pattern> DEFAULT_PATTERNS = List.of(
      Pattern.compile("(?i)\\bbearer\\s{1,8}(?<secret>[A-Za-z0-9._~+/=\\-]{8,})"),
      Pattern.compile("sk-(?<![A-Za-z0-9_\\-]sk-)[A-Za-z0-9_\\-]{16,}"),
      Pattern.compile("AIza(?<![A-Za-z0-9_\\-]AIza)[0-9A-Za-z_\\-]{30,}"));

  private static final String SECRET_GROUP = "(?<secret>";

  /**
   * A {@code Basic} credential: redacted when its base64 decodes to {@code user:password}. Tried
   * only where a plain search found the word: a case-insensitive regex run over a whole body is
   * slow.
   */
  private static final Pattern BASIC =
      Pattern.compile("(?i)basic\\s{1,8}(?<secret>[A-Za-z0-9+/]{6,}={0,2})");

  /** How many JSON string levels deep an escaped secret is looked for. */
  private static final int MAX_ESCAPE_DEPTH = 3;

  /** Text each built-in pattern cannot match without (in any case): checked before the regex. */
  private static final Map<Pattern, String> HINTS = Map.of(
      DEFAULT_PATTERNS.get(0), "bearer", DEFAULT_PATTERNS.get(1), "sk-",
      DEFAULT_PATTERNS.get(2), "aiza");

  private static final Redactor DEFAULT = builder().build();

  private final Set<String> headers;
  private final Set<String> queryParams;
  private final List<JsonPointer> bodyPointers;
  private final List<Rule> rules;
  private final long decodeLimit;

  /**
   * A pattern with what is worked out once: the text it cannot match without (null: run it always)
   * and whether it redacts only its {@code secret} group.
   */
  private record Rule(Pattern pattern, String hint, boolean grouped) {
    static Rule of(Pattern p) {
      return new Rule(p, HINTS.get(p), p.pattern().contains(SECRET_GROUP));
    }
  }

  private Redactor(Builder b) {
    this.headers = Set.copyOf(b.headers);
    this.queryParams = Set.copyOf(b.queryParams);
    this.bodyPointers = List.copyOf(b.bodyPointers);
    this.rules = b.patterns.stream().map(Rule::of).toList();
    this.decodeLimit = b.decodeLimit;
  }

  /** The redactor with only the built-in rules. */
  public static Redactor defaults() {
    return DEFAULT;
  }

  /** A builder starting from the built-in rules. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Redacts the request, the response headers, the body chunks, the tags and the model of an
   * exchange, after decoding its bodies (see {@link ContentDecoding}).
   *
   * @throws ContentDecoding.UndecodableBodyException when a body cannot be decoded within the
   *     limit; the exchange must then not be stored
   */
  public RecordedExchange redact(RecordedExchange e) {
    RecordedExchange d = decode(e);
    Request r = d.request();
    Request req = new Request(r.method(), path(r.path()), query(r.query()),
        headers(r.headers()), requestBody(r.body()));
    RecordedExchange out = d.withContent(req, headers(d.responseHeaders()), chunks(d.chunks()));
    List<String> tags = out.tags().stream().map(this::redactText).toList();
    String model = redactText(out.model());
    if (model == out.model()) {
      return tags.equals(out.tags()) ? out : out.withTags(tags);
    }
    return new RecordedExchange(out.id(), out.fingerprint(), out.provider(), out.endpoint(), model,
        out.recordedAtMillis(), out.request(), out.status(), out.responseHeaders(),
        out.timeToHeadersMicros(), out.chunks(), out.usage(), out.complete(), tags);
  }

  /**
   * The exchange with its bodies decoded from their {@code content-encoding}, within this
   * redactor's limit: what {@link #redact} matches against.
   *
   * @throws ContentDecoding.UndecodableBodyException when a body cannot be decoded
   */
  public RecordedExchange decode(RecordedExchange e) {
    return ContentDecoding.decode(e, decodeLimit);
  }

  /**
   * Redacts a body that arrived in chunks. The patterns run over the chunks joined, so a key that
   * the network split across two chunks is found too; the replacement goes where the secret began
   * and the rest of it is removed from the chunks that held it. Chunk count and offsets are kept.
   */
  public List<Chunk> chunks(List<Chunk> in) {
    String joined = new String(Chunk.join(in), StandardCharsets.ISO_8859_1);
    List<int[]> secrets = secretRanges(joined);
    if (secrets.isEmpty()) {
      return in;
    }
    List<Chunk> out = new ArrayList<>(in.size());
    int chunkStart = 0;
    int next = 0; // the first secret that may still reach into this chunk
    for (Chunk c : in) {
      int chunkEnd = chunkStart + c.length();
      StringBuilder text = new StringBuilder();
      int at = chunkStart;
      while (next < secrets.size() && secrets.get(next)[0] < chunkEnd) {
        int[] secret = secrets.get(next);
        if (secret[1] <= at) {
          next++;
          continue;
        }
        text.append(joined, at, Math.max(at, secret[0]));
        if (secret[0] >= chunkStart) {
          text.append(REDACTED);
        }
        at = Math.min(secret[1], chunkEnd);
        if (secret[1] > chunkEnd) {
          break; // the secret goes on in the next chunk
        }
        next++;
      }
      text.append(joined, at, chunkEnd);
      out.add(new Chunk(c.offsetMicros(), text.toString().getBytes(StandardCharsets.ISO_8859_1)));
      chunkStart = chunkEnd;
    }
    return out;
  }

  private List<int[]> secretRanges(String text) {
    return secretRanges(text, 0);
  }

  /**
   * Where the patterns match, as sorted, merged [start, end) ranges; {@code depth} is how many
   * JSON string levels the text was decoded from.
   */
  private List<int[]> secretRanges(String text, int depth) {
    List<int[]> ranges = new ArrayList<>();
    String lower = null;
    for (Rule rule : rules) {
      if (rule.hint() != null) {
        // Most text holds no key: a plain search (an intrinsic) instead of a regex at every
        // position. The patterns fold ASCII case only, which lower-casing covers.
        if (lower == null) {
          lower = text.toLowerCase(Locale.ROOT);
        }
        if (!lower.contains(rule.hint())) {
          continue;
        }
      }
      Matcher m = rule.pattern().matcher(text);
      while (m.find()) {
        int start = rule.grouped() ? m.start("secret") : m.start();
        int end = rule.grouped() ? m.end("secret") : m.end();
        if (end > start) {
          ranges.add(new int[] {start, end});
        }
      }
    }
    basicCredentials(text, depth, ranges);
    if (depth < MAX_ESCAPE_DEPTH && text.indexOf('\\') >= 0) {
      escapedLiterals(text, depth, ranges);
    }
    if (ranges.isEmpty()) {
      return List.of();
    }
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> merged = new ArrayList<>();
    for (int[] r : ranges) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0] <= last[1]) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(r);
      }
    }
    return merged;
  }

  /** Adds the base64 of each {@code Basic} credential ({@code user:password}) to the ranges. */
  private void basicCredentials(String text, int depth, List<int[]> ranges) {
    Matcher m = null;
    for (int at = nextBasic(text, 0); at >= 0; at = nextBasic(text, at + 1)) {
      char before = at == 0 ? ' ' : text.charAt(at - 1);
      if (Character.isLetterOrDigit(before) || before == '_') {
        continue; // inside a word
      }
      m = m == null ? BASIC.matcher(text) : m;
      m.region(at, text.length());
      if (!m.lookingAt()) {
        continue;
      }
      String base64 = m.group("secret");
      if (base64.length() % 4 != 0) {
        continue; // ordinary text, such as "basic example"
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1);
      } catch (IllegalArgumentException notBase64) {
        continue;
      }
      boolean credential = decoded.indexOf(':') >= 0
          && decoded.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
      if (credential || !secretRanges(decoded, depth + 1).isEmpty()) {
        ranges.add(new int[] {m.start("secret"), m.end("secret")});
      }
    }
  }

  /** Where the word {@code basic} (any case) next starts, from {@code from}; -1 for nowhere. */
  private static int nextBasic(String text, int from) {
    for (int i = from; i + 5 <= text.length(); i++) {
      char c = text.charAt(i);
      if ((c == 'b' || c == 'B') && text.regionMatches(true, i, "basic", 0, 5)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Adds the content of each JSON string literal whose escapes hide a secret to the ranges. A
   * literal ends at its closing quote or, as JSON strings cannot hold one, at a line break.
   */
  private void escapedLiterals(String text, int depth, List<int[]> ranges) {
    int i = text.indexOf('"');
    while (i >= 0) {
      int j = i + 1;
      boolean escaped = false;
      while (j < text.length()) {
        char c = text.charAt(j);
        if (c == '"' || c == '\n' || c == '\r') {
          break;
        }
        if (c == '\\') {
          escaped = true;
          j++;
        }
        j++;
      }
      if (j >= text.length() || text.charAt(j) != '"') {
        i = j >= text.length() ? -1 : text.indexOf('"', j);
        continue;
      }
      if (escaped && !secretRanges(JsonEscapes.decode(text, i + 1, j), depth + 1).isEmpty()) {
        ranges.add(new int[] {i + 1, j});
      }
      i = text.indexOf('"', j + 1);
    }
  }

  /** Redacts a header list, keeping names and order. */
  public List<Header> headers(List<Header> in) {
    List<Header> out = new ArrayList<>(in.size());
    for (Header h : in) {
      out.add(new Header(h.name(), headerValue(h.name(), h.value())));
    }
    return out;
  }

  /** Redacts one header value. */
  public String headerValue(String name, String value) {
    if (isSecretHeader(name)) {
      return REDACTED;
    }
    return redactText(value);
  }

  /** Whether a header's value is always replaced. */
  public boolean isSecretHeader(String name) {
    return headers.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Redacts a raw path: a segment that holds a secret, as it is or percent-decoded, becomes
   * {@value #REDACTED}.
   */
  public String path(String path) {
    if (path == null || path.isEmpty()) {
      return path;
    }
    String[] segments = path.split("/", -1);
    boolean changed = false;
    for (int i = 0; i < segments.length; i++) {
      if (hidesSecret(segments[i], false)) {
        segments[i] = REDACTED;
        changed = true;
      }
    }
    return changed ? String.join("/", segments) : path;
  }

  /** Whether a URL part holds a secret as it is or percent-decoded. */
  private boolean hidesSecret(String raw, boolean formEncoded) {
    return !secretRanges(raw).isEmpty()
        || !secretRanges(PercentDecoding.decode(raw, formEncoded)).isEmpty();
  }

  /**
   * Redacts a raw query string (without {@code ?}); parameter order and encoding are kept. A name
   * or value that holds a secret, as it is or percent-decoded, becomes {@value #REDACTED}.
   */
  public String query(String query) {
    if (query == null || query.isEmpty()) {
      return query;
    }
    // split with -1 keeps empty parts, so separators and their count survive the round trip.
    String[] parts = query.split("&", -1);
    StringBuilder sb = new StringBuilder(query.length());
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('&');
      }
      String part = parts[i];
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      sb.append(hidesSecret(name, true) ? REDACTED : name);
      if (eq >= 0) {
        String value = part.substring(eq + 1);
        boolean secret = queryParams.contains(
            PercentDecoding.decode(name, true).toLowerCase(Locale.ROOT))
            || hidesSecret(value, true);
        sb.append('=').append(secret ? REDACTED : value);
      }
    }
    return sb.toString();
  }

  /**
   * Redacts a request body: the configured JSON-pointer fields when the body is JSON (the body is
   * then re-serialized compactly), then the secret patterns over the bytes.
   */
  public byte[] requestBody(byte[] body) {
    byte[] b = body;
    if (!bodyPointers.isEmpty() && b.length > 0) {
      b = redactPointers(b);
    }
    return bytes(b);
  }

  /** Redacts secret-looking text in raw bytes, keeping every other byte as it was. */
  public byte[] bytes(byte[] in) {
    // ISO-8859-1 maps each byte to one char and back, so non-matching bytes survive exactly.
    String s = new String(in, StandardCharsets.ISO_8859_1);
    String r = redactText(s);
    return r == s ? in : r.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Redacts secret-looking text; returns the same instance when nothing matched. */
  public String redactText(String s) {
    if (s == null) {
      return null;
    }
    List<int[]> secrets = secretRanges(s);
    if (secrets.isEmpty()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int at = 0;
    for (int[] secret : secrets) {
      out.append(s, at, secret[0]).append(REDACTED);
      at = secret[1];
    }
    return out.append(s, at, s.length()).toString();
  }

  private byte[] redactPointers(byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException notJson) {
      // Not JSON: the patterns still apply to the raw bytes.
      return body;
    }
    if (root == null || !root.isContainerNode()) {
      return body;
    }
    boolean changed = false;
    for (JsonPointer p : bodyPointers) {
      JsonNode parent = root.at(p.head());
      String last = p.last().getMatchingProperty();
      if (parent instanceof ObjectNode o && o.has(last)) {
        o.set(last, TextNode.valueOf(REDACTED));
        changed = true;
      } else if (parent instanceof ArrayNode a && p.last().mayMatchElement()) {
        int i = p.last().getMatchingIndex();
        if (i < a.size()) {
          a.set(i, TextNode.valueOf(REDACTED));
          changed = true;
        }
      }
    }
    if (!changed) {
      return body;
    }
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (IOException ex) {
      // Cannot happen for a tree we just parsed; keep the secret out by dropping the body.
      return REDACTED.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** Configures extra rules on top of the built-in ones. */
  public static final class Builder {
    private final Set<String> headers = new TreeSet<>(DEFAULT_HEADERS);
    private final Set<String> queryParams = new TreeSet<>(DEFAULT_QUERY_PARAMS);
    private final List<JsonPointer> bodyPointers = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>(DEFAULT_PATTERNS);
    private long decodeLimit = ContentDecoding.DEFAULT_LIMIT;

    private Builder() {}

    /** The most bytes an encoded body may decode to before its exchange is refused. */
    public Builder decodeLimit(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("decode limit must be positive, got " + bytes);
      }
      decodeLimit = bytes;
      return this;
    }

    /** Extra header names (any case) whose values are always replaced. */
    public Builder headers(Collection<String> names) {
      names.forEach(n -> headers.add(n.toLowerCase(Locale.ROOT)));
      return this;
    }

    /** Extra query parameter names (any case) whose values are always replaced. */
    public Builder queryParams(Collection<String> names) {
      names.forEach(n -> queryParams.add(n.toLowerCase(Locale.ROOT)));
      return this;
    }

    /** JSON pointers (for example {@code /metadata/api_key}) of request body fields to replace. */
    public Builder bodyFields(Collection<String> pointers) {
      pointers.forEach(p -> bodyPointers.add(JsonPointer.compile(p)));
      return this;
    }

    /** Extra regular expressions; every match is replaced. */
    public Builder patterns(Collection<String> regexes) {
      regexes.forEach(r -> patterns.add(Pattern.compile(r)));
      return this;
    }

    /** Builds the immutable redactor. */
    public Redactor build() {
      return new Redactor(this);
    }
  }
}
