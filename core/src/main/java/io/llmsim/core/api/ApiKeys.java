package io.llmsim.core.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The API key a request carries, only ever kept as a hash: rate-limit buckets and fault rules are
 * keyed by it, and a key in clear must never sit in memory longer than one request.
 */
public final class ApiKeys {
  /** The hash of a request without a key: such requests share one bucket. */
  public static final String ANONYMOUS = "-";

  private ApiKeys() {}

  /**
   * The key of a request, as each provider's SDK sends it ({@code Authorization: Bearer},
   * Anthropic's {@code x-api-key}, Azure's {@code api-key}, Gemini's {@code x-goog-api-key} or
   * {@code ?key=}), or null.
   */
  public static String of(ApiRequest request) {
    String auth = request.header("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    for (String name : new String[] {"x-api-key", "api-key", "x-goog-api-key"}) {
      String value = request.header(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return request.query("key");
  }

  /** The hash of the request's key, or {@link #ANONYMOUS}. */
  public static String hashOf(ApiRequest request) {
    String key = of(request);
    return key == null || key.isEmpty() ? ANONYMOUS : hash(key);
  }

  /** SHA-256 of the key, in lower-case hex: what config and buckets keep instead of the key. */
  public static String hash(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
