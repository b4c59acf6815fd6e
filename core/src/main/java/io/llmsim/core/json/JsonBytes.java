package io.llmsim.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes JSON straight to bytes with a streaming generator: the fast path for every response.
 * Each thread reuses one output buffer (reset after every use, so it holds at most Jackson's
 * largest block, 128 KiB): a fresh one per answer was a tenth of the server's allocation.
 */
public final class JsonBytes {
  /** What to write. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** A thread's reusable output; busy while a body is written (a body may render another). */
  private static final class Output {
    final ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
    boolean busy;
  }

  private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

  private JsonBytes() {}

  public static byte[] write(Body body) {
    return write(null, body, null);
  }

  /** Writes {@code prefix}, the JSON, then {@code suffix} (e.g. an SSE {@code data: } line). */
  public static byte[] write(byte[] prefix, Body body, byte[] suffix) {
    Output output = OUTPUT.get();
    if (output.busy) {
      output = new Output();
    }
    output.busy = true;
    ByteArrayBuilder out = output.bytes;
    try {
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
    } finally {
      out.reset();
      output.busy = false;
    }
  }
}
