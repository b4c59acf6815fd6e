package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.json.JsonScan;
import io.llmsim.core.plan.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
  private static final byte[] SEQUENCE_NUMBER = JsonScan.key("sequence_number");

  /**
   * A mid-stream error (WIRE-FORMATS §2.5, §3.3). Chat and legacy completions: a {@code data:}
   * line whose JSON has a top-level {@code error} (openai-java raises {@code SseException}).
   * Responses ({@code responses}): {@code event: error} with top-level {@code code},
   * {@code message}, {@code param}, and the {@code sequence_number} that follows the last one in
   * {@code sent}, so the stream's numbers stay dense from 0 (WIRE-FORMATS §3.3).
   *
   * @param sent the frames the stream sent before the error, oldest first
   */
  public static byte[] streamEvent(ApiError error, boolean responses, List<Frame> sent) {
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
      g.writeNumberField("sequence_number", nextSequenceNumber(sent));
      g.writeStringField("code", error.code() != null ? error.code() : type(error));
      g.writeStringField("message", error.message());
      g.writeStringField("param", error.param());
      g.writeEndObject();
    }, END);
  }

  /**
   * One more than the last {@code sequence_number} the frames carry; 0 when they carry none. The
   * last frames are searched first: a forwarded stream's frames are network chunks, and the last
   * one may hold only the end of an event.
   */
  static long nextSequenceNumber(List<Frame> sent) {
    for (int i = sent.size() - 1; i >= 0; i--) {
      long last = JsonScan.lastNumber(sent.get(i).bytes(), SEQUENCE_NUMBER);
      if (last >= 0) {
        return last + 1;
      }
    }
    return 0;
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
