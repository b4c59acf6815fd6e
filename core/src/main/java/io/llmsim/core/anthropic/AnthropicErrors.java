package io.llmsim.core.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.json.JsonBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Anthropic's error shapes (WIRE-FORMATS §5.4, §5.5): the body
 * {@code {"type":"error","error":{"type","message"},"request_id"}} of an error answer, and the
 * {@code event: error} a stream ends with when it fails after its headers were sent.
 */
public final class AnthropicErrors {
  /** The {@code error.type} values Anthropic's SDKs know. */
  private static final Set<String> TYPES =
      Set.of(
          "invalid_request_error", "authentication_error", "billing_error", "permission_error",
          "not_found_error", "request_too_large", "rate_limit_error", "timeout_error", "api_error",
          "overloaded_error");

  private static final byte[] ERROR_EVENT =
      "event: error\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private AnthropicErrors() {}

  /** The body of an error answer; {@code requestId} repeats the {@code request-id} header. */
  public static byte[] body(ApiError error, String requestId) {
    return JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeFieldName("error");
      writeErrorObject(g, error);
      g.writeStringField("request_id", requestId);
      g.writeEndObject();
    });
  }

  /**
   * A whole mid-stream error event, {@code event: error} and its data line and blank line. The
   * HTTP status stays 200; send nothing after it and close the body. The SDKs raise it while
   * iterating and never retry it.
   */
  public static byte[] streamEvent(ApiError error) {
    return JsonBytes.write(ERROR_EVENT, g -> {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeFieldName("error");
      writeErrorObject(g, error);
      g.writeEndObject();
    }, END);
  }

  private static void writeErrorObject(JsonGenerator g, ApiError error) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", type(error));
    g.writeStringField("message", error.message());
    g.writeEndObject();
  }

  /**
   * Anthropic's {@code error.type}: the error's own when it is one of Anthropic's (another
   * provider's type, such as OpenAI's {@code tokens}, means nothing here), else the one for its
   * kind.
   */
  static String type(ApiError error) {
    if (error.type() != null && TYPES.contains(error.type())) {
      return error.type();
    }
    switch (error.kind()) {
      case AUTHENTICATION:
        return "authentication_error";
      case PERMISSION:
        return "permission_error";
      case NOT_FOUND:
        return "not_found_error";
      case TOO_LARGE:
        return "request_too_large";
      case RATE_LIMIT:
        return "rate_limit_error";
      case SERVER:
      case UNAVAILABLE:
        return "api_error";
      case OVERLOADED:
        return "overloaded_error";
      case INVALID_REQUEST:
      case METHOD_NOT_ALLOWED:
      default:
        return "invalid_request_error";
    }
  }
}
