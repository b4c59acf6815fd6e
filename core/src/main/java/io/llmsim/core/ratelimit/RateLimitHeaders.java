package io.llmsim.core.ratelimit;

import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.ResponsePlan;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rate-limit headers of an answer, computed from the buckets, in each provider's form
 * (WIRE-FORMATS §2.4, §5.6, §7.1): OpenAI's {@code x-ratelimit-limit|remaining|reset-requests|tokens}
 * with Go-style durations, Azure's remaining pair only, Anthropic's
 * {@code anthropic-ratelimit-requests|tokens-limit|remaining|reset} with RFC 3339 times; Gemini
 * sends none. A family whose bucket is unlimited keeps whatever the answer already had.
 */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /** The plan with its rate-limit headers replaced by the buckets' state. */
  public static ResponsePlan apply(ResponsePlan plan, String provider,
      RateLimitDecision.BucketState requests, RateLimitDecision.BucketState tokens) {
    List<Map.Entry<String, String>> computed = headers(provider, requests, tokens);
    if (computed.isEmpty()) {
      return plan;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>(plan.headers().size() + 8);
    for (Map.Entry<String, String> header : plan.headers()) {
      if (!replaced(header.getKey().toLowerCase(Locale.ROOT), requests != null, tokens != null)) {
        headers.add(header);
      }
    }
    headers.addAll(computed);
    return new ResponsePlan(plan.status(), headers, plan.streaming(), plan.headersOffsetNanos(),
        plan.frames());
  }

  /** The 429 of a request the limiter refused, in the provider's shape with its headers. */
  public static ApiError error(String provider, String model, RateLimitDecision decision) {
    boolean requests = decision.exceeded() == RateLimitDecision.Exceeded.REQUESTS;
    RateLimitDecision.BucketState bucket = requests ? decision.requests() : decision.tokens();
    String wait = goDuration(decision.retryAfterNanos());
    String message;
    String type = null;
    String code = null;
    switch (provider) {
      case "anthropic":
        message = "This request would exceed your organization's rate limit of " + bucket.limit()
            + (requests ? " requests" : " tokens") + " per minute (model: " + model
            + "). Please try again in " + wait + ".";
        break;
      case "gemini":
        message = "Resource has been exhausted (e.g. check quota).";
        break;
      default:
        type = provider.equals("openai") ? (requests ? "requests" : "tokens") : null;
        code = provider.equals("openai") ? "rate_limit_exceeded" : "429";
        long used = bucket.limit() - bucket.remaining();
        message = "Rate limit reached for " + model + " on "
            + (requests ? "requests per min (RPM)" : "tokens per min (TPM)") + ": Limit "
            + bucket.limit() + ", Used " + used + ", Requested "
            + (requests ? 1 : decision.reservedTokens()) + ". Please try again in " + wait + ".";
    }
    return new ApiError(ApiError.Kind.RATE_LIMIT, 429, type, code, null, message);
  }

  /** {@code retry-after} (whole seconds, rounded up) and {@code retry-after-ms} that agree. */
  public static List<Map.Entry<String, String>> retryAfter(long nanos) {
    long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
    return List.of(Map.entry("retry-after", Long.toString((millis + 999) / 1000)),
        Map.entry("retry-after-ms", Long.toString(millis)));
  }

  static List<Map.Entry<String, String>> headers(String provider,
      RateLimitDecision.BucketState requests, RateLimitDecision.BucketState tokens) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(8);
    switch (provider) {
      case "openai":
        if (requests != null) {
          headers.add(Map.entry("x-ratelimit-limit-requests", Long.toString(requests.limit())));
          headers.add(Map.entry("x-ratelimit-remaining-requests",
              Long.toString(requests.remaining())));
          headers.add(Map.entry("x-ratelimit-reset-requests", goDuration(requests.resetNanos())));
        }
        if (tokens != null) {
          headers.add(Map.entry("x-ratelimit-limit-tokens", Long.toString(tokens.limit())));
          headers.add(Map.entry("x-ratelimit-remaining-tokens",
              Long.toString(tokens.remaining())));
          headers.add(Map.entry("x-ratelimit-reset-tokens", goDuration(tokens.resetNanos())));
        }
        break;
      case "azure":
        if (requests != null) {
          headers.add(Map.entry("x-ratelimit-remaining-requests",
              Long.toString(requests.remaining())));
        }
        if (tokens != null) {
          headers.add(Map.entry("x-ratelimit-remaining-tokens",
              Long.toString(tokens.remaining())));
        }
        break;
      case "anthropic":
        long nowMillis = System.currentTimeMillis();
        addAnthropic(headers, "requests", requests, nowMillis);
        addAnthropic(headers, "tokens", tokens, nowMillis);
        break;
      default:
        break; // Gemini reports no rate-limit headers
    }
    return headers;
  }

  private static void addAnthropic(List<Map.Entry<String, String>> headers, String family,
      RateLimitDecision.BucketState bucket, long nowMillis) {
    if (bucket == null) {
      return;
    }
    String prefix = "anthropic-ratelimit-" + family + "-";
    headers.add(Map.entry(prefix + "limit", Long.toString(bucket.limit())));
    headers.add(Map.entry(prefix + "remaining", Long.toString(bucket.remaining())));
    // Rounded up to the second: the bucket is surely full by then.
    long resetMillis = nowMillis + (bucket.resetNanos() + 999_999) / 1_000_000 + 999;
    headers.add(Map.entry(prefix + "reset",
        Instant.ofEpochMilli(resetMillis).truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  /** Whether a header belongs to a family the buckets now report. */
  private static boolean replaced(String name, boolean requests, boolean tokens) {
    if (name.startsWith("x-ratelimit-")) {
      return name.endsWith("-requests") ? requests : tokens && name.endsWith("-tokens");
    }
    if (name.startsWith("anthropic-ratelimit-requests-")) {
      return requests;
    }
    // Input and output tokens are one bucket here: their separate families would disagree with it.
    return name.startsWith("anthropic-ratelimit-") && tokens;
  }

  /** A duration as Go prints it, as OpenAI's reset headers use: {@code 12ms}, {@code 1s}, {@code 6m0s}. */
  static String goDuration(long nanos) {
    long millis = (nanos + 999_999) / 1_000_000;
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long wholeSeconds = millis / 1000 % 60;
    long fraction = millis % 1000;
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(wholeSeconds);
    if (fraction > 0) {
      String digits = String.format(Locale.ROOT, "%03d", fraction).replaceAll("0+$", "");
      out.append('.').append(digits);
    }
    return out.append('s').toString();
  }
}
