package io.llmsim.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private static final Charset UTF8 = StandardCharsets.UTF_8;
  private static final String TOKEN =
      "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"}}]}";

  private final List<String> events = new ArrayList<>();
  private final SseParser parser =
      new SseParser((data, length) -> events.add(new String(data, 0, length, UTF8)));

  private void feed(String chunk) {
    ByteBuf buf = Unpooled.directBuffer().writeBytes(chunk.getBytes(UTF8));
    try {
      parser.feed(buf);
      assertThat(buf.readerIndex()).isZero();
    } finally {
      buf.release();
    }
  }

  @Test
  void severalEventsInOneChunk() {
    feed("data: a\n\ndata: b\n\ndata: [DONE]\n\n");
    assertThat(events).containsExactly("a", "b", "[DONE]");
  }

  @Test
  void eventSplitAcrossChunksAtEveryPosition() {
    String stream = "data: " + TOKEN + "\n\ndata: [DONE]\n\n";
    for (int cut = 0; cut <= stream.length(); cut++) {
      events.clear();
      parser.reset();
      feed(stream.substring(0, cut));
      feed(stream.substring(cut));
      assertThat(events).as("cut at %d", cut).containsExactly(TOKEN, "[DONE]");
    }
  }

  @Test
  void byteByByte() {
    String stream = "data: x\r\n\r\n: comment\n\nevent: e\nid: 1\ndata: y\n\n";
    for (char c : stream.toCharArray()) {
      feed(String.valueOf(c));
    }
    assertThat(events).containsExactly("x", "y");
  }

  @Test
  void partialEventIsHeldUntilTheBlankLine() {
    feed("data: a\n");
    assertThat(events).isEmpty();
    feed("\n");
    assertThat(events).containsExactly("a");
  }

  @Test
  void multiLineDataAndNoSpaceAfterColon() {
    feed("data:one\ndata: two\ndata\n\n");
    assertThat(events).containsExactly("one\ntwo\n");
  }

  @Test
  void longLinesGrowTheBuffers() {
    String big = "x".repeat(10_000);
    feed("data: " + big.substring(0, 3000));
    feed(big.substring(3000) + "\n\n");
    assertThat(events).containsExactly(big);
  }

  @Test
  void byteArrayFeed() {
    parser.feed("data: z\n\n".getBytes(UTF8));
    assertThat(events).containsExactly("z");
  }

  @Test
  void tokenAndDoneClassification() {
    assertThat(isToken(TOKEN)).isTrue();
    assertThat(isToken("{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}")).isFalse();
    assertThat(isToken("{\"delta\":{\"content\":null}}")).isFalse();
    assertThat(isToken("{\"delta\":{}}")).isFalse();
    assertThat(isToken("\"content\":\"")).isFalse();
    assertThat(isToken("\"content\":\"a")).isTrue();
    assertThat(isDone("[DONE]")).isTrue();
    assertThat(isDone("[DONE] ")).isFalse();
    assertThat(isDone(TOKEN)).isFalse();
  }

  private static boolean isToken(String data) {
    byte[] bytes = data.getBytes(UTF8);
    return SseParser.isToken(bytes, bytes.length);
  }

  private static boolean isDone(String data) {
    byte[] bytes = data.getBytes(UTF8);
    return SseParser.isDone(bytes, bytes.length);
  }
}
