package io.llmsim.store.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SseEventReaderTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void severalEventsInOneChunkShareItsOffset() {
    SseEventReader reader = new SseEventReader();
    reader.feed(utf8("data: a\n\ndata: b\n\n"), 100);
    assertThat(reader.finish()).containsExactly(new SseEvent("", "a", 100), new SseEvent("", "b", 100));
  }

  @Test
  void anEventSpanningChunksTakesTheOffsetOfTheChunkThatCompletesIt() {
    SseEventReader reader = new SseEventReader();
    reader.feed(utf8("event: content_block_delta\nda"), 100);
    reader.feed(utf8("ta: {\"x\":1}\n"), 200);
    reader.feed(utf8("\n"), 300);
    assertThat(reader.finish())
        .containsExactly(new SseEvent("content_block_delta", "{\"x\":1}", 300));
  }

  @Test
  void crlfSplitAcrossChunksIsOneLineEnd() {
    SseEventReader reader = new SseEventReader();
    reader.feed(utf8("data: a\r"), 10);
    reader.feed(utf8("\n\r\ndata: b\r\r"), 20);
    assertThat(reader.finish()).containsExactly(new SseEvent("", "a", 20), new SseEvent("", "b", 20));
  }

  @Test
  void multiByteCharactersSplitAcrossChunksDecodeWhole() {
    byte[] all = utf8("data: Tromsø ☃\n\n");
    SseEventReader reader = new SseEventReader();
    int cut = 13; // inside the two bytes of ø
    reader.feed(Arrays.copyOfRange(all, 0, cut), 1);
    reader.feed(Arrays.copyOfRange(all, cut, all.length), 2);
    assertThat(reader.finish()).containsExactly(new SseEvent("", "Tromsø ☃", 2));
  }

  @Test
  void commentsAndOtherFieldsAreIgnoredAndDataLinesJoin() {
    SseEventReader reader = new SseEventReader();
    reader.feed(utf8(": keep-alive\nid: 7\nretry: 10\ndata: one\ndata: two\n\n: ping\n\n"), 5);
    assertThat(reader.finish()).containsExactly(new SseEvent("", "one\ntwo", 5));
  }

  @Test
  void aLastEventWithoutItsBlankLineIsKept() {
    SseEventReader reader = new SseEventReader();
    reader.feed(utf8("data: {\"candidates\":[]}"), 42);
    assertThat(reader.finish()).containsExactly(new SseEvent("", "{\"candidates\":[]}", 42));
  }
}
