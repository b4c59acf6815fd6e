package io.llmsim.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes JSON straight to bytes with a streaming generator: the fast path for every response. */
public final class JsonBytes {
  /** What to write. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private JsonBytes() {}

  public static byte[] write(Body body) {
    return write(null, body, null);
  }

  /** Writes {@code prefix}, the JSON, then {@code suffix} (e.g. an SSE {@code data: } line). */
  public static byte[] write(byte[] prefix, Body body, byte[] suffix) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(1024)) {
      if (prefix != null) {
        out.write(prefix);
      }
      try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
        body.write(g);
      }
      if (suffix != null) {
        out.write(suffix);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
