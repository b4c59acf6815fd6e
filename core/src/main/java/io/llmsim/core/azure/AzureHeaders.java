package io.llmsim.core.azure;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.plan.ResponsePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The response headers Azure OpenAI sends (WIRE-FORMATS §7.1): {@code apim-request-id},
 * {@code x-request-id} in UUID form, {@code x-ms-region}, the client's
 * {@code x-ms-client-request-id} echoed, only the <em>remaining</em> pair of rate-limit headers,
 * and on streams {@code x-accel-buffering: no} and {@code cache-control: no-cache,
 * must-revalidate}. Azure sends none of OpenAI's {@code openai-*} headers.
 */
public final class AzureHeaders {
  /** The region every simulated resource reports. */
  static final String REGION = "East US";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AzureHeaders() {}

  /**
   * The same plan with Azure's headers in place of OpenAI's: the content type and the remaining
   * rate-limit counts are kept, and OpenAI's {@code req_} request id becomes a UUID with the same
   * hex digits, so a seeded answer keeps a stable id.
   *
   * @param deployment the deployment the request named, or null
   */
  public static ResponsePlan rewrite(ResponsePlan plan, ApiRequest request, String deployment) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(12);
    String contentType = find(plan, "content-type");
    if (contentType != null) {
      headers.add(Map.entry("content-type", contentType));
    }
    if (plan.streaming()) {
      headers.add(Map.entry("cache-control", "no-cache, must-revalidate"));
      headers.add(Map.entry("x-accel-buffering", "no"));
    }
    String apimId = uuid(ThreadLocalRandom.current());
    headers.add(Map.entry("apim-request-id", apimId));
    String requestId = find(plan, "x-request-id");
    headers.add(Map.entry("x-request-id", requestId == null ? apimId : uuid(requestId)));
    headers.add(Map.entry("x-ms-region", REGION));
    String clientId = request.header("x-ms-client-request-id");
    if (clientId != null) {
      headers.add(Map.entry("x-ms-client-request-id", clientId));
    }
    if (deployment != null) {
      headers.add(Map.entry("x-ms-deployment-name", deployment));
    }
    for (String name : List.of("x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens")) {
      String value = find(plan, name);
      if (value != null) {
        headers.add(Map.entry(name, value));
      }
    }
    headers.add(Map.entry("x-content-type-options", "nosniff"));
    return new ResponsePlan(
        plan.status(), headers, plan.streaming(), plan.headersOffsetNanos(), plan.frames());
  }

  /** Headers of an error or other plain JSON answer. */
  static List<Map.Entry<String, String>> plain() {
    String id = uuid(ThreadLocalRandom.current());
    return List.of(
        Map.entry("content-type", "application/json"),
        Map.entry("apim-request-id", id),
        Map.entry("x-request-id", id),
        Map.entry("x-ms-region", REGION),
        Map.entry("x-content-type-options", "nosniff"));
  }

  /** A random version-4 UUID. */
  static String uuid(RandomGenerator random) {
    char[] hex = new char[32];
    for (int i = 0; i < hex.length; i++) {
      hex[i] = HEX[random.nextInt(16)];
    }
    hex[12] = '4';
    hex[16] = HEX[8 + random.nextInt(4)];
    return format(hex);
  }

  /** OpenAI's {@code req_} + 32 hex digits as a UUID of the same digits. */
  static String uuid(String openAiRequestId) {
    String hex = openAiRequestId.startsWith("req_") ? openAiRequestId.substring(4)
        : openAiRequestId;
    if (hex.length() != 32) {
      return uuid(ThreadLocalRandom.current());
    }
    return format(hex.toCharArray());
  }

  private static String format(char[] hex) {
    String h = new String(hex);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
        + h.substring(16, 20) + "-" + h.substring(20);
  }

  private static String find(ResponsePlan plan, String name) {
    for (Map.Entry<String, String> header : plan.headers()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }
}
