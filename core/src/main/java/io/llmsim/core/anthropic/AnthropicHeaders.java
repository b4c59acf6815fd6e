package io.llmsim.core.anthropic;

import io.llmsim.core.synth.Synthesizer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Anthropic's ids and the response headers its SDKs read (WIRE-FORMATS §5.3, §5.6):
 * {@code request-id} and the {@code anthropic-ratelimit-*} family with RFC 3339 reset times. Until
 * the rate limiter lands, limits are fixed and the remaining counts reflect only this request.
 */
public final class AnthropicHeaders {
  static final long REQUEST_LIMIT = 4_000;
  static final long INPUT_TOKEN_LIMIT = 2_000_000;
  static final long OUTPUT_TOKEN_LIMIT = 400_000;

  /** One organisation answers every request, as one API key always belongs to one. */
  static final String ORGANIZATION_ID = "5d1c2a4e-8b7f-4c39-9e61-0f2a7b3c8d94";

  private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_INSTANT;

  /** One rate-limit bucket's header names and limit, built once rather than per answer. */
  private record Bucket(String limitName, String remainingName, String resetName, long limit,
      String limitText, boolean roundToThousands) {
    Bucket(String name, long limit, boolean roundToThousands) {
      this("anthropic-ratelimit-" + name + "-limit", "anthropic-ratelimit-" + name + "-remaining",
          "anthropic-ratelimit-" + name + "-reset", limit, Long.toString(limit), roundToThousands);
    }
  }

  private static final Bucket INPUT_TOKENS = new Bucket("input-tokens", INPUT_TOKEN_LIMIT, true);
  private static final Bucket OUTPUT_TOKENS =
      new Bucket("output-tokens", OUTPUT_TOKEN_LIMIT, true);
  private static final Bucket REQUESTS = new Bucket("requests", REQUEST_LIMIT, false);
  private static final Bucket TOKENS =
      new Bucket("tokens", INPUT_TOKEN_LIMIT + OUTPUT_TOKEN_LIMIT, true);

  /** The last reset time formatted: answers within one second share it. */
  private record Stamp(long epochSeconds, String text) {}

  private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

  private AnthropicHeaders() {}

  /** {@code req_011C} and 20 base62 characters: 24 after the prefix, like Anthropic's. */
  public static String requestId(RandomGenerator random) {
    return "req_011C" + Synthesizer.randomId(20, random);
  }

  /** {@code msg_01} and 22 base62 characters. */
  public static String messageId(RandomGenerator random) {
    return "msg_01" + Synthesizer.randomId(22, random);
  }

  /** {@code toolu_01} and 22 base62 characters. */
  public static String toolUseId(RandomGenerator random) {
    return "toolu_01" + Synthesizer.randomId(22, random);
  }

  /** An opaque base64 signature of a thinking block (clients echo it back, nobody checks it). */
  public static String signature(RandomGenerator random) {
    byte[] bytes = new byte[240];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Headers of a message answer.
   *
   * @param inputTokens counted against the input-token limit
   * @param maxTokens counted against the output-token limit: Anthropic reserves {@code max_tokens}
   *     up front, before it knows the answer's length
   */
  public static List<Map.Entry<String, String>> answer(
      String contentType, String requestId, long epochSeconds, int inputTokens, int maxTokens) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(18);
    headers.add(Map.entry("content-type", contentType));
    if (contentType.startsWith("text/event-stream")) {
      headers.add(Map.entry("cache-control", "no-cache"));
    }
    headers.add(Map.entry("request-id", requestId));
    headers.add(Map.entry("anthropic-organization-id", ORGANIZATION_ID));
    long input = Math.min(inputTokens, INPUT_TOKEN_LIMIT);
    long output = Math.min(maxTokens, OUTPUT_TOKEN_LIMIT);
    addLimit(headers, INPUT_TOKENS, input, epochSeconds);
    addLimit(headers, OUTPUT_TOKENS, output, epochSeconds);
    addLimit(headers, REQUESTS, 1, epochSeconds);
    addLimit(headers, TOKENS, input + output, epochSeconds);
    return headers;
  }

  /** Headers of a JSON answer without rate accounting: errors, models, token counts. */
  public static List<Map.Entry<String, String>> plain(String requestId) {
    return List.of(
        Map.entry("content-type", "application/json"),
        Map.entry("request-id", requestId),
        Map.entry("anthropic-organization-id", ORGANIZATION_ID));
  }

  /**
   * Limit, remaining and reset of one bucket. The bucket refills continuously over a minute, so it
   * is full again {@code used × 60 / limit} seconds from now; token counts are rounded to the
   * nearest thousand, as Anthropic reports them.
   */
  private static void addLimit(List<Map.Entry<String, String>> headers, Bucket bucket,
      long used, long epochSeconds) {
    long limit = bucket.limit();
    long remaining = Math.max(0, limit - used);
    if (bucket.roundToThousands()) {
      remaining = Math.round(remaining / 1000.0) * 1000;
    }
    long refillSeconds = Math.max(1, (used * 60 + limit - 1) / limit);
    headers.add(Map.entry(bucket.limitName(), bucket.limitText()));
    headers.add(Map.entry(bucket.remainingName(), Long.toString(remaining)));
    headers.add(Map.entry(bucket.resetName(), rfc3339(epochSeconds + refillSeconds)));
  }

  static String rfc3339(long epochSeconds) {
    Stamp stamp = lastStamp;
    if (stamp.epochSeconds() != epochSeconds) {
      stamp = new Stamp(epochSeconds, RFC_3339.format(Instant.ofEpochSecond(epochSeconds)));
      lastStamp = stamp; // a race only formats the same second twice
    }
    return stamp.text();
  }
}
