package io.llmsim.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The per-thread output buffer is reused, never shared between two writes in progress. */
class JsonBytesTest {
  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void writesPrefixJsonAndSuffix() {
    byte[] bytes = JsonBytes.write("data: ".getBytes(StandardCharsets.US_ASCII),
        g -> g.writeNumber(1), "\n\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(text(bytes)).isEqualTo("data: 1\n\n");
  }

  @Test
  void aWriteStartsEmptyAfterALargeOne() {
    String big = "x".repeat(300_000);
    assertThat(text(JsonBytes.write(g -> g.writeString(big)))).hasSize(300_002);
    assertThat(text(JsonBytes.write(g -> g.writeString("small")))).isEqualTo("\"small\"");
  }

  @Test
  void aBodyMayRenderAnotherWithoutMixingTheirBytes() {
    byte[] outer = JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeStringField("a", "1");
      String inner = text(JsonBytes.write(h -> {
        h.writeStartArray();
        h.writeNumber(2);
        h.writeEndArray();
      }));
      g.writeStringField("inner", inner);
      g.writeEndObject();
    });
    assertThat(text(outer)).isEqualTo("{\"a\":\"1\",\"inner\":\"[2]\"}");
    assertThat(text(JsonBytes.write(g -> g.writeBoolean(true)))).isEqualTo("true");
  }

  @Test
  void aFailedWriteLeavesNothingBehind() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JsonBytes.write(g -> {
      g.writeStartArray();
      g.writeNumber(7);
      g.flush();
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(text(JsonBytes.write(g -> g.writeNumber(8)))).isEqualTo("8");
  }
}
