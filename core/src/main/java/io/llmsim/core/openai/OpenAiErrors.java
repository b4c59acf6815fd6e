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
    g.writeStringField("type", error.type());
    g.writeStringField("param", error.param());
    g.writeStringField("code", error.code());
    g.writeEndObject();
  }
}
