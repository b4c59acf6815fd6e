package io.llmsim.proxy.replay;

import static io.llmsim.proxy.Recordings.CHAT;
import static io.llmsim.proxy.Recordings.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.proxy.Recordings;
import io.llmsim.store.RecordedExchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact plans from recordings, without sockets: headers, framing and offsets per speed. */
class RecordedPlanTest {
  private static final long MS = 1_000_000;

  private static final RecordedExchange STREAMED = Recordings.streamed("000000000001aa", CHAT,
      "gpt-4o", "{}", 40, List.of(chunk(100, "data: a\n\n"), chunk(300, ""),
          chunk(250, "data: b\n\n"), chunk(500, "data: [DONE]\n\n")), true);

  @Test
  void aStreamKeepsItsHeadersButNotTheHopByHopOnes() {
    ResponsePlan plan = RecordedPlan.of(STREAMED, Speed.NORMAL);
    assertThat(plan.status()).isEqualTo(200);
    assertThat(plan.streaming()).isTrue();
    assertThat(plan.headers()).containsExactly(
        Map.entry("Content-Type", "text/event-stream; charset=utf-8"),
        Map.entry("x-request-id", "req_000000000001aa"));
  }

  @Test
  void offsetsAreDividedByTheSpeedAndNeverGoBack() {
    assertThat(offsets(RecordedPlan.of(STREAMED, Speed.NORMAL)))
        .containsExactly(100 * MS, 250 * MS, 500 * MS);
    // The empty chunk is skipped (it would end the body); the out-of-order one is held back.
    assertThat(RecordedPlan.of(STREAMED, Speed.NORMAL).headersOffsetNanos()).isEqualTo(40 * MS);
    assertThat(offsets(RecordedPlan.of(STREAMED, Speed.parse("2x"))))
        .containsExactly(50 * MS, 125 * MS, 250 * MS);
    assertThat(offsets(RecordedPlan.of(STREAMED, Speed.parse("0.5x"))))
        .containsExactly(200 * MS, 500 * MS, 1000 * MS);
    ResponsePlan max = RecordedPlan.of(STREAMED, Speed.MAX);
    assertThat(max.headersOffsetNanos()).isZero();
    assertThat(offsets(max)).containsOnly(0L);
  }

  @Test
  void aWholeAnswerIsOneFrameAtTheLastChunksOffset() {
    RecordedExchange whole = Recordings.exchange("000000000002aa", "fp", CHAT, "gpt-4o", "{}", 201,
        List.of(new RecordedExchange.Header("Content-Type", "application/json"),
            new RecordedExchange.Header("Content-Length", "13")),
        80, List.of(chunk(90, "{\"a\":"), chunk(120, "\"hello\"}")), true);
    ResponsePlan plan = RecordedPlan.of(whole, Speed.NORMAL);
    assertThat(plan.streaming()).isFalse();
    assertThat(plan.status()).isEqualTo(201);
    assertThat(plan.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
    Frame frame = plan.frames().next();
    assertThat(new String(frame.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"hello\"}");
    assertThat(frame.offsetNanos()).isEqualTo(120 * MS);
    assertThat(plan.frames().next()).isNull();
  }

  @Test
  void aCutRecordingEndsWithADisconnect() {
    RecordedExchange cut = Recordings.streamed("000000000003aa", CHAT, "gpt-4o", "{}", 0,
        List.of(chunk(10, "data: a\n\n"), chunk(20, "data: {")), false);
    FrameSource frames = RecordedPlan.of(cut, Speed.NORMAL).frames();
    assertThat(frames.next().isDisconnect()).isFalse();
    assertThat(frames.next().isDisconnect()).isFalse();
    Frame last = frames.next();
    assertThat(last.isDisconnect()).isTrue();
    assertThat(last.offsetNanos()).isEqualTo(20 * MS);
    assertThat(frames.next()).isNull();
  }

  private static List<Long> offsets(ResponsePlan plan) {
    List<Long> offsets = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      offsets.add(f.offsetNanos());
    }
    return offsets;
  }
}
