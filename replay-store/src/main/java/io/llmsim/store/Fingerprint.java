package io.llmsim.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmsim.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The stable key under which recordings of "the same request" are found: a lowercase hex SHA-256
 * over the endpoint, the model and the canonical JSON body.
 *
 * <p>Canonical means: object keys sorted, no whitespace, numbers written in their shortest exact
 * decimal form (so {@code 1}, {@code 1.0} and {@code 1e0} agree), and the volatile fields removed.
 * Volatile fields are those that identify the caller or the call but do not change the answer:
 * {@link #DEFAULT_IGNORED}. Everything else counts, in particular {@code messages}/{@code input}/
 * {@code contents}, {@code tools}, sampling parameters and {@code stream} (a streamed and an
 * unstreamed answer are different recordings). {@code seed} is kept: the providers document it as
 * selecting a sampling outcome, so two seeds are two answers; a fixture set that wants it ignored
 * adds {@code /seed} to its ignored pointers. A body that is not JSON is hashed as raw bytes.
 *
 * <p>This is the dialect-neutral canonicalisation; a dialect that knows more (say, defaults that
 * equal absent fields) can normalise the body before calling {@link #compute}. Thread-safe.
 */
public final class Fingerprint {
  /** Top-level fields left out by default: caller identity, tracing and delivery options. */
  public static final List<String> DEFAULT_IGNORED = List.of(
      "/user", "/metadata", "/stream_options", "/store", "/request_id", "/prompt_cache_key",
      "/safety_identifier");

  // Bumped if the canonical form ever changes, so old and new keys cannot collide silently.
  private static final String SCHEME = "llmsim-fp-1";

  private static final Fingerprint DEFAULT = builder().build();

  private final List<JsonPointer> ignored;

  private Fingerprint(List<JsonPointer> ignored) {
    this.ignored = List.copyOf(ignored);
  }

  /** The fingerprint with the default ignored fields. */
  public static Fingerprint defaults() {
    return DEFAULT;
  }

  /** A builder starting from {@link #DEFAULT_IGNORED}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Computes the fingerprint.
   *
   * @param endpoint the endpoint name (for example {@code chat.completions})
   * @param model the model; for Gemini it is in the path, not the body; null when none
   * @param body the request body as sent
   * @return 64 lowercase hex characters
   */
  public String compute(String endpoint, String model, byte[] body) {
    return compute(null, endpoint, model, body);
  }

  /**
   * Computes the fingerprint of a request in a scope (a named set of recordings): the same
   * request in two scopes has two fingerprints, so two test suites never share recordings.
   *
   * @param scope the scope; null for none, which gives {@link #compute(String, String, byte[])}
   */
  public String compute(String scope, String endpoint, String model, byte[] body) {
    MessageDigest sha = sha256();
    update(sha, SCHEME);
    if (scope != null) {
      // Unscoped fingerprints keep their old value: only scoped ones hash the extra field.
      update(sha, "scope=" + scope);
    }
    update(sha, endpoint);
    update(sha, model == null ? "" : model);
    sha.update(canonical(body));
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The canonical bytes that are hashed (exposed for "what differs" diagnostics and tests). */
  public byte[] canonical(byte[] body) {
    if (body == null || body.length == 0) {
      return new byte[0];
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException notJson) {
      return body;
    }
    if (root == null) {
      return body;
    }
    if (root.isContainerNode()) {
      root = root.deepCopy();
      for (JsonPointer p : ignored) {
        remove(root, p);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      write(g, root);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  private static void remove(JsonNode root, JsonPointer p) {
    JsonNode parent = root.at(p.head());
    if (parent instanceof ObjectNode o) {
      o.remove(p.last().getMatchingProperty());
    } else if (parent instanceof ArrayNode a && p.last().mayMatchElement()
        && p.last().getMatchingIndex() < a.size()) {
      a.remove(p.last().getMatchingIndex());
    }
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    if (n.isObject()) {
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      g.writeStartObject();
      for (String name : names) {
        g.writeFieldName(name);
        write(g, n.get(name));
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (JsonNode e : n) {
        write(g, e);
      }
      g.writeEndArray();
    } else if (n.isNumber()) {
      String s = n.decimalValue().stripTrailingZeros().toPlainString();
      g.writeNumber(s);
    } else {
      g.writeTree(n);
    }
  }

  private static void update(MessageDigest sha, String s) {
    sha.update(s.getBytes(StandardCharsets.UTF_8));
    // A separator that cannot occur in UTF-8 text keeps ("ab","c") and ("a","bc") apart.
    sha.update((byte) 0xff);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every JDK has SHA-256", ex);
    }
  }

  /** Configures extra ignored fields. */
  public static final class Builder {
    private final List<JsonPointer> ignored = new ArrayList<>();

    private Builder() {
      DEFAULT_IGNORED.forEach(p -> ignored.add(JsonPointer.compile(p)));
    }

    /** Extra JSON pointers to leave out, for example {@code /seed} or {@code /messages/0}. */
    public Builder ignore(Collection<String> pointers) {
      pointers.forEach(p -> ignored.add(JsonPointer.compile(p)));
      return this;
    }

    /** Drops the defaults, for a fixture set that wants every field to count. */
    public Builder noDefaults() {
      ignored.clear();
      return this;
    }

    /** Builds the immutable fingerprint. */
    public Fingerprint build() {
      return new Fingerprint(ignored);
    }
  }
}
