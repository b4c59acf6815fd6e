package io.llmsim.proxy;

import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.proxy.metrics.WriteTimings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Executes one {@link ResponsePlan} on a channel, entirely on the channel's event loop: each frame
 * is written and flushed when its deadline ({@code start + offset}, an absolute time, so lateness
 * never accumulates along a stream) has come, using the loop's scheduler and never a sleeping
 * thread. While the channel is not writable the writer waits for {@link #onWritabilityChanged()};
 * when the channel goes away it stops ({@link #cancel()}). Headers and frames are written with the
 * void promise (no future and listener per token): a failed write closes the channel, and the
 * handler cancels the plan from {@code channelInactive}/{@code exceptionCaught}.
 *
 * <p>A {@link Frame#disconnect} marker closes the connection at its offset without a terminating
 * chunk (and, when it comes first, before any byte): a simulated dropped connection or timeout.
 *
 * <p>Writes bytes, framed here, below the pipeline's HTTP response encoder (its {@value #ENCODER}
 * handler, which stays only for the few answers Netty's own handlers write): a whole answer as
 * one buffer ({@link ResponseHead}), a streamed frame as one HTTP chunk (size line, bytes, CRLF),
 * where the encoder would make three buffers of it and write its size one byte at a time. Frames
 * that are due together are flushed together. The buffers it creates are owned by the pipeline
 * once written. Not thread-safe: every method runs on the event loop.
 */
final class PlanWriter implements TickWheel.Sleeper {
  /** Frames already due are written in batches, so one stream cannot hog the loop. */
  private static final int MAX_FRAMES_PER_TURN = 64;

  /** The name of the pipeline's HTTP response encoder: answers are written below it. */
  static final String ENCODER = "encoder";

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final short CRLF = ('\r' << 8) | '\n';

  private final ChannelHandlerContext ctx;
  private final ChannelHandlerContext belowEncoder;
  private final ResponsePlan plan;
  private final long startNanos;
  private final ResponseHead.Connection connection;
  /** An answer to a HEAD request: the head alone, with the length the body would have. */
  private final boolean headOnly;
  /** The loop's tick wheel, or null to wake at each frame's own deadline. */
  private final TickWheel wheel;
  private final Promise<Void> done;
  /** Null when nothing is measured. */
  private final WriteTimings timings;
  private final Runnable resumeTask = this::resume;
  private final ChannelFutureListener onLastWrite = this::onLastWriteComplete;

  private Frame pending;
  private boolean headersSent;
  private boolean finished;
  private boolean waitingForWritability;
  /** Something was written in this turn and is flushed at its end. */
  private boolean unflushed;
  /** Waiting for a disconnect marker before any byte was sent (a simulated timeout). */
  private boolean silent;
  private ScheduledFuture<?> timer;
  /** How far past its deadline the last {@link #waitUntil} found the writer (0 or more). */
  private long lateNanos;
  /** The tick this writer waits for on the wheel; {@link Long#MIN_VALUE} when none. */
  private long sleepingTick = Long.MIN_VALUE;

  /**
   * Told, on the event loop, each answer's time to first byte and each streamed frame's
   * lateness; set on a channel by the initializer, for the metrics.
   */
  static final AttributeKey<WriteTimings> TIMINGS = AttributeKey.valueOf("llmsim.timings");

  /**
   * A writer for {@code plan}, whose offsets count from {@code startNanos} on the event loop's
   * ticker. Nothing is written until {@link #start()}. With a {@code wheel}, a frame that must
   * wait is written at the first tick at or after its deadline (never before it), so the frames
   * of all the loop's streams that fall due within one tick share one wake-up: at 1,000 streams a
   * 1 ms tick cut the server's CPU by a fifth to a quarter. Without one (null), every frame is
   * written at its own deadline. {@code connection} is what the head says of the connection (the
   * caller closes it when that is {@code CLOSE}).
   */
  PlanWriter(ChannelHandlerContext ctx, ResponsePlan plan, long startNanos, TickWheel wheel,
      ResponseHead.Connection connection, boolean headOnly) {
    this.ctx = ctx;
    this.connection = connection;
    this.headOnly = headOnly;
    this.wheel = wheel;
    this.belowEncoder = Objects.requireNonNull(ctx.pipeline().context(ENCODER),
        "the pipeline has no HTTP encoder named " + ENCODER);
    this.plan = plan;
    this.startNanos = startNanos;
    this.done = ctx.executor().newPromise();
    this.timings = ctx.channel().attr(TIMINGS).get();
  }

  /**
   * Writes what is due now and schedules the rest; {@link #done()} completes when the last byte
   * has been written (or fails when the channel went away first). Call it only once the handler
   * passes writability changes to this writer: the first turn may fill the channel's buffer and
   * see it drain again, and a writer that missed that change would wait for it forever.
   */
  void start() {
    resume();
  }

  Future<Void> done() {
    return done;
  }

  /** Called by the handler when the channel's writability changed. */
  void onWritabilityChanged() {
    if (waitingForWritability && ctx.channel().isWritable()) {
      waitingForWritability = false;
      resume();
    }
  }

  /**
   * True while the plan sends nothing and will only close the connection (a simulated timeout):
   * a server stopping gracefully need not wait for it.
   */
  boolean isSilent() {
    return silent && !finished;
  }

  /** Stops the plan: the client went away or the server is closing the connection. */
  void cancel() {
    if (finished) {
      return;
    }
    finished = true;
    sleepingTick = Long.MIN_VALUE; // the wheel's later wake-up is then ignored
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    plan.frames().cancel();
    done.tryFailure(new ClosedChannelException());
  }

  /**
   * The plan's next frame into {@link #pending}; false when a live source has nothing yet (it
   * wakes the writer when it has).
   */
  private boolean pull() {
    if (pending == null) {
      Frame frame = plan.frames().next();
      if (frame == FrameSource.PENDING) {
        plan.frames().onReady(resumeTask);
        return false;
      }
      pending = frame;
    }
    return true;
  }

  private void resume() {
    timer = null;
    if (finished) {
      return;
    }
    if (!plan.streaming() || headOnly) {
      writeWhole();
      return;
    }
    if (!headersSent) {
      // A live source with nothing yet still gets its headers out now, as the upstream sent them.
      pull();
      if (pending != null && pending.isDisconnect()) {
        silent = true;
        if (waitUntil(startNanos + pending.offsetNanos())) {
          return;
        }
        disconnect();
        return;
      }
      if (waitUntil(startNanos + plan.headersOffsetNanos())) {
        return;
      }
      belowEncoder.write(ResponseHead.chunked(ctx.alloc(), plan, connection), ctx.voidPromise());
      headersSent = true;
      unflushed = true;
      firstByteSent();
    }
    try {
      writeDueFrames();
    } finally {
      flushWritten();
    }
  }

  /** Flushes what this turn wrote, if anything. */
  private void flushWritten() {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  /** Writes the frames that are due, without flushing; returns when one is not due yet. */
  private void writeDueFrames() {
    for (int written = 0; ; written++) {
      if (!pull()) {
        return;
      }
      if (pending == null) {
        finished = true;
        belowEncoder.write(ResponseHead.lastChunk(ctx.alloc())).addListener(onLastWrite);
        unflushed = true;
        return;
      }
      if (waitUntil(startNanos + pending.offsetNanos())) {
        return;
      }
      if (pending.isDisconnect()) {
        flushWritten(); // what was due before the cut reaches the client
        disconnect();
        return;
      }
      if (!ctx.channel().isWritable()) {
        waitingForWritability = true;
        return;
      }
      if (written == MAX_FRAMES_PER_TURN) {
        flushWritten(); // this batch goes out before the loop turns to other work
        ctx.executor().execute(resumeTask);
        return;
      }
      if (pending.bytes().length > 0) { // an empty chunk would end the body
        belowEncoder.write(chunk(pending.bytes()), ctx.voidPromise());
        unflushed = true;
        if (timings != null) {
          timings.frameLateness(lateNanos);
        }
      }
      pending = null;
    }
  }

  /** {@code bytes} (not empty) as one HTTP chunk: its size in hex, CRLF, the bytes, CRLF. */
  private ByteBuf chunk(byte[] bytes) {
    int length = bytes.length;
    int digits = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 3) >>> 2;
    ByteBuf chunk = ctx.alloc().directBuffer(digits + 2 + length + 2);
    for (int shift = (digits - 1) << 2; shift >= 0; shift -= 4) {
      chunk.writeByte(HEX[(length >>> shift) & 0xF]);
    }
    return chunk.writeShort(CRLF).writeBytes(bytes).writeShort(CRLF);
  }

  private void writeWhole() {
    if (!pull()) {
      return;
    }
    long due = startNanos + (pending == null ? plan.headersOffsetNanos() : pending.offsetNanos());
    silent = pending != null && pending.isDisconnect();
    if (waitUntil(due)) {
      return;
    }
    if (silent) {
      disconnect();
      return;
    }
    ByteBuf response;
    if (plan.streaming()) { // and a HEAD request: the chunked head, no chunk
      response = ResponseHead.chunked(ctx.alloc(), plan, connection);
    } else {
      byte[] body = pending == null ? new byte[0] : pending.bytes();
      response = ResponseHead.whole(ctx.alloc(), plan, body, connection, headOnly);
    }
    finished = true;
    if (headOnly) {
      plan.frames().cancel(); // what the body would have held is not needed
    }
    belowEncoder.writeAndFlush(response).addListener(onLastWrite);
    firstByteSent();
  }

  private void firstByteSent() {
    if (timings != null) {
      timings.firstByte(ctx.executor().ticker().nanoTime() - startNanos);
    }
  }

  /**
   * Closes the connection mid-answer, as a dropped connection would: what was written is flushed,
   * no terminating chunk follows. The plan fails, so the handler does not reuse the connection.
   */
  private void disconnect() {
    finished = true;
    silent = false;
    ctx.close();
    done.tryFailure(new ClosedChannelException());
  }

  /**
   * Schedules a resume and returns true when {@code deadline} is still ahead; else notes how late
   * the writer is in {@link #lateNanos}.
   */
  private boolean waitUntil(long deadline) {
    long now = ctx.executor().ticker().nanoTime();
    if (deadline <= now) {
      lateNanos = now - deadline;
      return false;
    }
    if (wheel == null) {
      timer = ctx.executor().schedule(resumeTask, deadline - now, TimeUnit.NANOSECONDS);
      return true;
    }
    long tick = wheel.tickAtOrAfter(deadline);
    if (tick != sleepingTick && !wheel.sleepUntil(tick, this)) {
      timer = ctx.executor().schedule(
          resumeTask, tick * wheel.tickNanos() - now, TimeUnit.NANOSECONDS);
      return true;
    }
    sleepingTick = tick;
    return true;
  }

  @Override
  public void wake(long tick) {
    if (tick == sleepingTick) {
      sleepingTick = Long.MIN_VALUE;
      resume();
    }
  }

  private void onLastWriteComplete(ChannelFuture future) {
    if (future.isSuccess()) {
      done.trySuccess(null);
    } else {
      done.tryFailure(future.cause());
    }
  }
}
