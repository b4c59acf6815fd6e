package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes of answer heads, as a client reads them. */
class ResponseHeadTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private static ResponsePlan plan(int status, List<Map.Entry<String, String>> headers) {
    return new ResponsePlan(status, headers, false, 0, FrameSource.of(List.of()));
  }

  /** The buffer's bytes as Latin-1 text (one char per byte), released. */
  private static String text(ByteBuf buf) {
    try {
      return buf.toString(StandardCharsets.ISO_8859_1);
    } finally {
      buf.release();
    }
  }

  @Test
  void aWholeAnswerIsHeadLengthAndBodyInOneBuffer() {
    ResponsePlan plan = plan(200, List.of(
        Map.entry("content-type", "application/json"), Map.entry("x-request-id", "req_1")));
    assertThat(text(ResponseHead.whole(ALLOC, plan, BODY, ResponseHead.Connection.DEFAULT, false)))
        .isEqualTo("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_1\r\n"
            + "content-length: 2\r\n\r\n{}");
  }

  @Test
  void theFramingHeadersAreLlmsimsOwn() {
    ResponsePlan plan = plan(200, List.of(Map.entry("Content-Length", "999"),
        Map.entry("Transfer-Encoding", "chunked"), Map.entry("Connection", "keep-alive"),
        Map.entry("x-a", "1")));
    assertThat(text(ResponseHead.whole(ALLOC, plan, BODY, ResponseHead.Connection.CLOSE, false)))
        .isEqualTo("HTTP/1.1 200 OK\r\nx-a: 1\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}");
    assertThat(text(ResponseHead.chunked(ALLOC, plan, ResponseHead.Connection.KEEP_ALIVE)))
        .isEqualTo("HTTP/1.1 200 OK\r\nx-a: 1\r\nconnection: keep-alive\r\n"
            + "transfer-encoding: chunked\r\n\r\n");
  }

  @Test
  void anAnswerToHeadKeepsTheLengthAndLeavesOutTheBody() {
    ResponsePlan plan = plan(405, List.of());
    assertThat(text(ResponseHead.whole(ALLOC, plan, BODY, ResponseHead.Connection.DEFAULT, true)))
        .isEqualTo("HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 2\r\n\r\n");
  }

  @Test
  void aHeaderThatWouldBreakTheFramingIsLeftOut() {
    ResponsePlan plan = plan(200, List.of(Map.entry("x-injected", "a\r\nset-cookie: b"),
        Map.entry("bad name", "v"), Map.entry("x-nul", "a\0b"), Map.entry("x-tab", "a\tb"),
        Map.entry("x-latin", "caf\u00e9 \u20ac")));
    assertThat(text(ResponseHead.whole(ALLOC, plan, BODY, ResponseHead.Connection.DEFAULT, false)))
        .isEqualTo("HTTP/1.1 200 OK\r\nx-tab: a\tb\r\nx-latin: caf\u00e9 ?\r\n"
            + "content-length: 2\r\n\r\n{}");
  }

  @Test
  void statusCodesWithoutAStandardPhraseStillGetALine() {
    assertThat(text(ResponseHead.chunked(ALLOC, plan(529, List.of()),
        ResponseHead.Connection.DEFAULT))).startsWith("HTTP/1.1 529 ");
  }

  @Test
  void headsLargerThanTheScratchSpaceAreWhole() {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    StringBuilder expected = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 200; i++) {
      String value = "v".repeat(40) + i;
      headers.add(Map.entry("x-header-" + i, value));
      expected.append("x-header-").append(i).append(": ").append(value).append("\r\n");
    }
    expected.append("content-length: 2\r\n\r\n{}");
    ResponsePlan plan = plan(200, headers);
    for (int round = 0; round < 2; round++) { // once growing the scratch space, once reusing it
      assertThat(text(ResponseHead.whole(ALLOC, plan, BODY, ResponseHead.Connection.DEFAULT,
          false))).isEqualTo(expected.toString());
    }
  }

  @Test
  void theLastChunkEndsTheBody() {
    assertThat(text(ResponseHead.lastChunk(ALLOC))).isEqualTo("0\r\n\r\n");
  }
}
