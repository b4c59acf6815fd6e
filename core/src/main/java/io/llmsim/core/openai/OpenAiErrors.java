package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.json.JsonBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's error body: {@code {"error": {"message", "type", "param", "code"}}}, all four keys always
 * present.
 */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  public static byte[] body(ApiError error) {
    return JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeFieldName("error");
      writeErrorObject(g, error);
      g.writeEndObject();
    });
  }

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_ERROR =
      "event: error\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * A mid-stream error (WIRE-FORMATS §2.5, §3.3). Chat and legacy completions: a {@code data:}
   * line whose JSON has a top-level {@code error} (openai-java raises {@code SseException}).
   * Responses ({@code responses}): {@code event: error} with top-level {@code code},
   * {@code message}, {@code param}.
   */
  public static byte[] streamEvent(ApiError error, boolean responses) {
    if (!responses) {
      return JsonBytes.write(DATA, g -> {
        g.writeStartObject();
        g.writeFieldName("error");
        writeErrorObject(g, error);
        g.writeEndObject();
      }, END);
    }
    return JsonBytes.write(EVENT_ERROR, g -> {
      g.writeStartObject();
      g.writeStringField("type", "error");
      // The true position is the stream's; 0 is accepted by every SDK's decoder.
      g.writeNumberField("sequence_number", 0);
      g.writeStringField("code", error.code() != null ? error.code() : type(error));
      g.writeStringField("message", error.message());
      g.writeStringField("param", error.param());
      g.writeEndObject();
    }, END);
  }

  static void writeErrorObject(JsonGenerator g, ApiError error) throws IOException {
    g.writeStartObject();
    g.writeStringField("message", error.message());
    g.writeStringField("type", type(error));
    g.writeStringField("param", error.param());
    g.writeStringField("code", error.code());
    g.writeEndObject();
  }

  /** OpenAI's {@code type} for an error: the error's own, else the usual one for its kind. */
  static String type(ApiError error) {
    if (error.type() != null) {
      return error.type();
    }
    switch (error.kind()) {
      case RATE_LIMIT:
        return "requests";
      case SERVER:
      case UNAVAILABLE:
      case OVERLOADED:
        return "server_error";
      default:
        return "invalid_request_error";
    }
  }
}
