package io.llmsim.core.gemini;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Google's error shape (WIRE-FORMATS §6.4): {@code {"error": {"code", "message", "status"}}},
 * pretty-printed, with the google.rpc status name for the HTTP status. The google-genai SDKs turn a
 * 4xx into {@code ClientError}/{@code ClientException} and a 5xx into
 * {@code ServerError}/{@code ServerException}, reading {@code code}, {@code status} and
 * {@code message}.
 */
public final class GeminiDialect implements Dialect {
  public static final GeminiDialect INSTANCE = new GeminiDialect();

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEXT = ",\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "]".getBytes(StandardCharsets.US_ASCII);

  private GeminiDialect() {}

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public ResponsePlan error(ApiError error) {
    int status = status(error);
    String statusName = statusName(error, status);
    byte[] body = GeminiJson.pretty(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", status);
      g.writeStringField("message", error.message());
      g.writeStringField("status", statusName);
      g.writeEndObject();
      g.writeEndObject();
    });
    return ResponsePlan.of(status, headers(), body, 0);
  }

  /**
   * A mid-stream error (WIRE-FORMATS §6.4): one {@code data:} event whose single-line JSON starts
   * with {@code {"error":}, which the genai SDKs raise as an API error. A streamed JSON array
   * (no {@code alt=sse}) gets the error object as its last element and is closed.
   */
  @Override
  public byte[] streamError(ApiError error, ApiRequest request, List<Frame> sent) {
    int status = status(error);
    String statusName = statusName(error, status);
    boolean sse = "sse".equals(request.query("alt"));
    return JsonBytes.write(sse ? DATA : NEXT, g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeNumberField("code", status);
      g.writeStringField("message", error.message());
      g.writeStringField("status", statusName);
      g.writeEndObject();
      g.writeEndObject();
    }, sse ? END : CLOSE);
  }

  static List<Map.Entry<String, String>> headers() {
    return List.of(Map.entry("content-type", GeminiJson.JSON_TYPE));
  }

  @Override
  public ApiError invalidJson(String detail) {
    return ApiError.invalidRequest("Invalid JSON payload received. " + detail, null, null);
  }

  @Override
  public ApiError unknownPath(ApiRequest request) {
    // Google's front end routes on method and path together, so an unknown path and a known path
    // with the wrong method both come back as 404 "Method not found." [MEM].
    return ApiError.notFound("Method not found.", null);
  }

  @Override
  public ApiError wrongMethod(ApiRequest request) {
    return ApiError.notFound("Method not found.", null);
  }

  /** The HTTP status Google would use for an error. */
  static int status(ApiError error) {
    switch (error.kind()) {
      case OVERLOADED:
        // Google has no 529: an overloaded model is a 503 UNAVAILABLE.
        return 503;
      case TOO_LARGE:
        // "Request payload size exceeds the limit" is an INVALID_ARGUMENT at Google [MEM].
        return 400;
      case METHOD_NOT_ALLOWED:
        return 404;
      default:
        return error.status();
    }
  }

  /**
   * The google.rpc status for an error: the error's own type when it is already one (upper-case),
   * else the canonical mapping of the HTTP status.
   */
  static String statusName(ApiError error, int status) {
    String type = error.type();
    if (type != null && type.matches("[A-Z][A-Z_]*")) {
      return type;
    }
    switch (status) {
      case 400:
        return "INVALID_ARGUMENT";
      case 401:
        return "UNAUTHENTICATED";
      case 403:
        return "PERMISSION_DENIED";
      case 404:
        return "NOT_FOUND";
      case 409:
        return "ABORTED";
      case 412:
        return "FAILED_PRECONDITION";
      case 429:
        return "RESOURCE_EXHAUSTED";
      case 499:
        return "CANCELLED";
      case 501:
        return "UNIMPLEMENTED";
      case 502:
      case 503:
        return "UNAVAILABLE";
      case 504:
        return "DEADLINE_EXCEEDED";
      default:
        return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
    }
  }
}
