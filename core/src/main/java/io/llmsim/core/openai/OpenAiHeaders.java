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
  private static final String REQUEST_LIMIT_TEXT = Long.toString(REQUEST_LIMIT);
  private static final String TOKEN_LIMIT_TEXT = Long.toString(TOKEN_LIMIT);
  private static final String REQUESTS_REMAINING_TEXT = Long.toString(REQUEST_LIMIT - 1);
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
    // Immutable from the start: the plan keeps the list without copying it.
    return List.of(
        Map.entry("content-type", contentType),
        Map.entry("x-request-id", requestId),
        Map.entry("openai-version", "2020-10-01"),
        Map.entry("openai-processing-ms", Long.toString(processingMs)),
        Map.entry("x-ratelimit-limit-requests", REQUEST_LIMIT_TEXT),
        Map.entry("x-ratelimit-limit-tokens", TOKEN_LIMIT_TEXT),
        Map.entry("x-ratelimit-remaining-requests", REQUESTS_REMAINING_TEXT),
        Map.entry("x-ratelimit-remaining-tokens",
            Long.toString(Math.max(0, TOKEN_LIMIT - tokensRequested))),
        Map.entry("x-ratelimit-reset-requests", "6ms"),
        Map.entry("x-ratelimit-reset-tokens", "0s"));
  }

  /** Headers of a JSON answer without token accounting: errors, model lists. */
  public static List<Map.Entry<String, String>> plain(String requestId) {
    return List.of(
        Map.entry("content-type", "application/json"),
        Map.entry("x-request-id", requestId),
        Map.entry("openai-version", "2020-10-01"));
  }
}
