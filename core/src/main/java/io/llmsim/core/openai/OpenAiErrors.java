package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.json.JsonBytes;
import java.io.IOException;

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
