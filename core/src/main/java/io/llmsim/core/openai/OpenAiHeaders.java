package io.llmsim.core.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The response headers OpenAI sends and SDKs read: {@code x-request-id}, {@code openai-version},
 * {@code openai-processing-ms} and the {@code x-ratelimit-*} family (WIRE-FORMATS §2.4). Until the
 * rate limiter lands, limits are fixed and the remaining counts reflect only this request.
 */
public final class OpenAiHeaders {
  static final long REQUEST_LIMIT = 10_000;
  static final long TOKEN_LIMIT = 30_000_000;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private OpenAiHeaders() {}

  public static String requestId(RandomGenerator random) {
    char[] id = new char[36];
    id[0] = 'r';
    id[1] = 'e';
    id[2] = 'q';
    id[3] = '_';
    long bits = random.nextLong();
    long more = random.nextLong();
    for (int i = 4; i < id.length; i++) {
      if (i == 20) {
        bits = more;
      }
      id[i] = HEX[(int) (bits & 15)];
      bits >>>= 4;
    }
    return new String(id);
  }

  /** Headers of a successful answer. */
  public static List<Map.Entry<String, String>> answer(
      String contentType, String requestId, long processingMs, int tokensRequested) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(10);
    headers.add(Map.entry("content-type", contentType));
    headers.add(Map.entry("x-request-id", requestId));
    headers.add(Map.entry("openai-version", "2020-10-01"));
    headers.add(Map.entry("openai-processing-ms", Long.toString(processingMs)));
    headers.add(Map.entry("x-ratelimit-limit-requests", Long.toString(REQUEST_LIMIT)));
    headers.add(Map.entry("x-ratelimit-limit-tokens", Long.toString(TOKEN_LIMIT)));
    headers.add(Map.entry("x-ratelimit-remaining-requests", Long.toString(REQUEST_LIMIT - 1)));
    headers.add(
        Map.entry(
            "x-ratelimit-remaining-tokens",
            Long.toString(Math.max(0, TOKEN_LIMIT - tokensRequested))));
    headers.add(Map.entry("x-ratelimit-reset-requests", "6ms"));
    headers.add(Map.entry("x-ratelimit-reset-tokens", "0s"));
    return headers;
  }

  /** Headers of a JSON answer without token accounting: errors, model lists. */
  public static List<Map.Entry<String, String>> plain(String requestId) {
    return List.of(
        Map.entry("content-type", "application/json"),
        Map.entry("x-request-id", requestId),
        Map.entry("openai-version", "2020-10-01"));
  }
}
