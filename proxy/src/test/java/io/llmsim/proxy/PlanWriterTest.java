package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;
import io.netty.util.concurrent.MockTicker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plan writer against an {@link EmbeddedChannel} and a clock the test moves by hand. */
class PlanWriterTest {
  private final MockTicker ticker = Ticker.newMockTicker();
  private final Starter starter = new Starter();
  private final EmbeddedChannel channel =
      EmbeddedChannel.builder().ticker(ticker).handlers(starter).build();
  /** Decodes what the server channel wrote, as a client would. */
  private final EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
  private final List<String> wire = new ArrayList<>();
  private int flushes;
  private HttpResponse lastHead;

  PlanWriterTest() {
    // As in the server: the encoder under its name, and below it what reaches the socket.
    channel.pipeline().addFirst(PlanWriter.ENCODER, new HttpResponseEncoder());
    channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
      @Override
      public void flush(ChannelHandlerContext ctx) {
        flushes++;
        ctx.flush();
      }
    });
  }

  /** Starts a plan on the channel's own context, as the API handler does. */
  private static final class Starter extends ChannelInboundHandlerAdapter {
    ChannelHandlerContext ctx;
    PlanWriter writer;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (writer != null) { // as the API handler: no writer, nobody to tell
        writer.onWritabilityChanged();
      }
    }
  }

  @AfterEach
  void nothingLeft() {
    assertThat(channel.finishAndReleaseAll()).isFalse();
    client.finishAndReleaseAll();
  }

  private static ResponsePlan stream(long headersAtMs, long... frameOffsetsMs) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < frameOffsetsMs.length; i++) {
      frames.add(new Frame(TimeUnit.MILLISECONDS.toNanos(frameOffsetsMs[i]), bytes("f" + i)));
    }
    return new ResponsePlan(
        200, List.of(Map.entry("content-type", "text/event-stream")), true,
        TimeUnit.MILLISECONDS.toNanos(headersAtMs), FrameSource.of(frames));
  }

  private void start(ResponsePlan plan) {
    starter.writer = new PlanWriter(starter.ctx, plan, ticker.nanoTime(), null,
        ResponseHead.Connection.DEFAULT, false);
    starter.writer.start();
  }

  private void startOnTicks(ResponsePlan plan, long tickNanos) {
    starter.writer = new PlanWriter(starter.ctx, plan, ticker.nanoTime(),
        new TickWheel(channel.eventLoop(), tickNanos), ResponseHead.Connection.DEFAULT, false);
    starter.writer.start();
  }

  private void advanceMicros(long micros) {
    ticker.advance(micros, TimeUnit.MICROSECONDS);
    channel.runScheduledPendingTasks();
  }

  private void advanceMs(long ms) {
    ticker.advance(ms, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  /** What reached the client since the last call: "headers N", each chunk's text, "end". */
  private List<String> drain() {
    ByteBuf written;
    while ((written = channel.readOutbound()) != null) {
      wire.add(written.toString(StandardCharsets.UTF_8));
      client.writeInbound(written);
    }
    List<String> seen = new ArrayList<>();
    Object msg;
    while ((msg = client.readInbound()) != null) {
      try {
        if (msg instanceof HttpResponse response) {
          lastHead = response;
          seen.add("headers " + response.status().code());
        }
        if (msg instanceof HttpContent content) {
          ByteBuf buf = content.content();
          if (buf.isReadable()) {
            seen.add(buf.toString(StandardCharsets.UTF_8));
          }
          if (msg instanceof LastHttpContent) {
            seen.add("end");
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    return seen;
  }

  @Test
  void onATickGridEachFrameWaitsForTheFirstTickAtOrAfterItsDeadline() {
    advanceMicros(300); // the plan starts off the grid: its deadlines fall at 5.3, 10.3 and 30.3 ms
    startOnTicks(stream(5, 0, 10, 30), TimeUnit.MILLISECONDS.toNanos(1));
    advanceMicros(5_600); // 5.9 ms: the headers' deadline has passed, their tick has not come
    assertThat(drain()).isEmpty();
    advanceMicros(100);
    assertThat(drain()).containsExactly("headers 200", "f0"); // f0 was due with the headers
    advanceMicros(4_999);
    assertThat(drain()).isEmpty();
    advanceMicros(1);
    assertThat(drain()).containsExactly("f1");
    advanceMicros(20_000);
    assertThat(drain()).containsExactly("f2", "end");
  }

  @Test
  void onATickGridADeadlineOnATickIsNotDelayed() {
    startOnTicks(stream(2, 4), TimeUnit.MILLISECONDS.toNanos(1));
    advanceMicros(1_999);
    assertThat(drain()).isEmpty();
    advanceMicros(1);
    assertThat(drain()).containsExactly("headers 200");
    advanceMicros(2_000);
    assertThat(drain()).containsExactly("f0", "end");
  }

  @Test
  void writesEachFrameAtItsDeadlineAndNotBefore() {
    start(stream(5, 10, 10, 30));
    assertThat(drain()).isEmpty();
    advanceMs(4);
    assertThat(drain()).isEmpty();
    advanceMs(1);
    assertThat(drain()).containsExactly("headers 200");
    advanceMs(4);
    assertThat(drain()).isEmpty();
    advanceMs(1);
    assertThat(drain()).containsExactly("f0", "f1");
    advanceMs(19);
    assertThat(drain()).isEmpty();
    advanceMs(1);
    assertThat(drain()).containsExactly("f2", "end");
    assertThat(starter.writer.done().isSuccess()).isTrue();
  }

  @Test
  void deadlinesAreAbsoluteSoALateStartDoesNotShiftLaterFrames() {
    start(stream(0, 10, 20, 30));
    // The loop was busy: the first deadline is missed by 15 ms.
    advanceMs(25);
    assertThat(drain()).containsExactly("headers 200", "f0", "f1");
    advanceMs(5);
    assertThat(drain()).containsExactly("f2", "end");
  }

  @Test
  void pausesWhileTheChannelIsNotWritable() {
    start(stream(0, 0, 10, 20));
    assertThat(drain()).containsExactly("headers 200", "f0");
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    advanceMs(30);
    assertThat(drain()).isEmpty();
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertThat(drain()).containsExactly("f1", "f2", "end");
  }

  @Test
  void aFirstTurnThatFillsTheBufferGoesOnWhenItDrains() {
    // 160 KB due at once, over the channel's 64 KB high-water mark: the channel turns unwritable
    // and, flushed, writable again inside the writer's very first turn.
    String big = "y".repeat(8 * 1024);
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      frames.add(new Frame(0, bytes(big)));
    }
    start(new ResponsePlan(200, List.of(), true, 0, FrameSource.of(frames)));
    channel.runPendingTasks();
    List<String> seen = drain();
    assertThat(seen).hasSize(22).startsWith("headers 200").endsWith(big, "end");
    assertThat(starter.writer.done().isSuccess()).isTrue();
  }

  @Test
  void cancelStopsTheStreamAndFailsItsFuture() {
    start(stream(0, 0, 10, 20));
    assertThat(drain()).containsExactly("headers 200", "f0");
    starter.writer.cancel();
    advanceMs(30);
    assertThat(drain()).isEmpty();
    assertThat(starter.writer.done().isDone()).isTrue();
    assertThat(starter.writer.done().isSuccess()).isFalse();
  }

  @Test
  void aCancelledWriterIgnoresTheTickItWaitedFor() {
    startOnTicks(stream(0, 0, 10, 20), TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(drain()).containsExactly("headers 200", "f0");
    starter.writer.cancel();
    advanceMs(30);
    assertThat(drain()).isEmpty();
    assertThat(starter.writer.done().isSuccess()).isFalse();
  }

  @Test
  void onATickGridAWaitBeyondTheWheelsReachStillEndsOnItsTick() {
    // 5 s ahead is past what a 1 ms wheel holds: the loop's own timer queue takes the wait.
    startOnTicks(stream(0, 0, 5_000), TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(drain()).containsExactly("headers 200", "f0");
    advanceMs(4_999);
    assertThat(drain()).isEmpty();
    advanceMs(1);
    assertThat(drain()).containsExactly("f1", "end");
  }

  @Test
  void wholeResponseIsSentAtItsFrameOffsetWithContentLength() {
    start(ResponsePlan.of(200, List.of(Map.entry("content-type", "application/json")),
        bytes("{\"ok\":true}"), TimeUnit.MILLISECONDS.toNanos(50)));
    advanceMs(49);
    assertThat(drain()).isEmpty();
    advanceMs(1);
    assertThat(drain()).containsExactly("headers 200", "{\"ok\":true}", "end");
    assertThat(lastHead.headers().getInt("content-length")).isEqualTo(11);
  }

  @Test
  void eachFrameIsOneChunkOnTheWireAndFramesDueTogetherShareAFlush() {
    List<Frame> frames = List.of(new Frame(0, bytes("data: a\n\n")), new Frame(0, new byte[0]),
        new Frame(0, bytes("x".repeat(300))), new Frame(TimeUnit.MILLISECONDS.toNanos(10),
            bytes("data: [DONE]\n\n")));
    start(new ResponsePlan(200, List.of(), true, 0, FrameSource.of(frames)));
    assertThat(drain()).containsExactly("headers 200", "data: a\n\n", "x".repeat(300));
    assertThat(flushes).isEqualTo(1);
    // The head, then one buffer per chunk; the empty frame is not a chunk (it would end the body).
    assertThat(wire.subList(1, wire.size()))
        .containsExactly("9\r\ndata: a\n\n\r\n", "12c\r\n" + "x".repeat(300) + "\r\n");
    advanceMs(10);
    assertThat(drain()).containsExactly("data: [DONE]\n\n", "end");
    assertThat(flushes).isEqualTo(2);
  }

  @Test
  void framesDueTogetherAreWrittenInBatchesWithoutStarvingTheLoop() {
    long[] offsets = new long[200];
    start(stream(0, offsets));
    // The first batch is written at once; the rest follow in later turns of the loop.
    List<String> first = drain();
    assertThat(first).hasSizeLessThan(201);
    channel.runPendingTasks();
    channel.runPendingTasks();
    channel.runPendingTasks();
    List<String> all = new ArrayList<>(first);
    all.addAll(drain());
    assertThat(all).hasSize(202).endsWith("f199", "end");
  }

  @Test
  void aDisconnectMarkerClosesMidBodyWithoutTheLastChunk() {
    List<Frame> frames = List.of(new Frame(0, bytes("f0")),
        Frame.disconnect(TimeUnit.MILLISECONDS.toNanos(10)), new Frame(20, bytes("never")));
    start(new ResponsePlan(200, List.of(), true, 0, FrameSource.of(frames)));
    assertThat(drain()).containsExactly("headers 200", "f0");
    assertThat(channel.isOpen()).isTrue();
    advanceMs(10);
    assertThat(drain()).isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(starter.writer.done().isSuccess()).isFalse();
  }

  @Test
  void aDisconnectMarkerFirstSendsNothingAtAllUntilItsDeadline() {
    start(new ResponsePlan(200, List.of(), true, 0,
        FrameSource.of(List.of(Frame.disconnect(TimeUnit.MILLISECONDS.toNanos(50))))));
    assertThat(starter.writer.isSilent()).isTrue();
    advanceMs(49);
    assertThat(drain()).isEmpty();
    assertThat(channel.isOpen()).isTrue();
    advanceMs(1);
    assertThat(drain()).isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(starter.writer.isSilent()).isFalse();
  }

  @Test
  void aWholeAnswerCutBeforeItsFrameSendsNothing() {
    start(new ResponsePlan(200, List.of(), false, 0,
        FrameSource.of(List.of(Frame.disconnect(TimeUnit.MILLISECONDS.toNanos(5))))));
    advanceMs(5);
    assertThat(drain()).isEmpty();
    assertThat(channel.isOpen()).isFalse();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
