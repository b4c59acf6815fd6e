package io.llmsim.proxy.upstream;

import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.proxy.record.Recorder;
import io.llmsim.proxy.record.Tape;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded upstream and its answer coming back, on the client's event loop.
 *
 * <p>The {@link #plan} completes when the upstream's response head arrives: a live plan whose
 * frames are the body as it arrives ({@link LiveFrames}), offsets counted from the client's
 * request, so the same fault transformers apply. A body with a length (a whole JSON answer) is
 * passed on whole when complete; anything else streams chunk by chunk. Before the head, a failure
 * becomes an error answer in the endpoint's shape (502 unreachable, 504 too slow); after it, a
 * failure cuts the client's connection where the upstream's was cut.
 *
 * <p>When recording, a {@link Tape} gets the same bytes with their arrival times, and the recorder
 * stores it at the end, complete or (cut by either side) not.
 */
final class ForwardedExchange {
  private final Forwarder forwarder;
  private final Routed routed;
  private final Upstream upstream;
  private final EventLoop loop;
  private final long arrivalNanos;
  private final Recorder recorder;
  private final UpstreamTarget target;
  private final List<Map.Entry<String, String>> headers;
  final CompletableFuture<ResponsePlan> plan = new CompletableFuture<>();

  private Channel channel;
  private UpstreamConnection connection;
  private boolean reused;
  private boolean retried;
  private Tape tape;
  private LiveFrames frames;
  /** A body with a length, collected and passed on whole. */
  private ByteArrayOutputStream whole;
  private boolean headReceived;
  private boolean keepAlive;
  private boolean finished;
  private long lastReadNanos;
  /** When the head must have arrived by; Long.MAX_VALUE while no request is out. */
  private long firstByteDeadline = Long.MAX_VALUE;
  private long totalDeadline;
  /**
   * One timer for the first-byte, idle and total timeouts: a timer per limit, armed and cancelled
   * on every request, cost a forwarded request about a tenth of its Java time.
   */
  private ScheduledFuture<?> watchdog;

  ForwardedExchange(Forwarder forwarder, Routed routed, Upstream upstream, EventLoop loop,
      long arrivalNanos, Recorder recorder, UpstreamTarget target,
      List<Map.Entry<String, String>> headers) {
    this.forwarder = forwarder;
    this.routed = routed;
    this.upstream = upstream;
    this.loop = loop;
    this.arrivalNanos = arrivalNanos;
    this.recorder = recorder;
    this.target = target;
    this.headers = headers;
    // The client gave up before the head arrived (the handler cancels the future).
    plan.whenComplete((p, failure) -> {
      if (failure instanceof CancellationException) {
        loop.execute(() -> abandon());
      }
    });
  }

  private long now() {
    return loop.ticker().nanoTime();
  }

  /** Called on the loop with a ready connection (TLS and proxy handshakes done). */
  void send(Channel ch, UpstreamConnection conn, boolean fromPool) {
    if (finished) {
      forwarder.release(upstream, ch, now());
      return;
    }
    channel = ch;
    connection = conn;
    reused = fromPool;
    connection.attach(this);
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(routed.request().method()), target.requestTarget(),
        Unpooled.wrappedBuffer(routed.request().body()));
    for (Map.Entry<String, String> header : headers) {
      request.headers().add(header.getKey(), header.getValue());
    }
    request.headers().set(HttpHeaderNames.HOST, upstream.hostHeader());
    request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, routed.request().body().length);
    long sent = now();
    if (recorder != null && tape == null) {
      // The provider's path, without the upstream's prefix: a drift check joins it to whichever
      // upstream it is given.
      tape = new Tape(routed, routed.request().method(), target.path(), target.query(), headers,
          routed.request().body(), sent);
    }
    lastReadNanos = sent;
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        onClosed(f.cause());
      }
    });
    UpstreamTimeouts timeouts = upstream.timeouts();
    firstByteDeadline = sent + timeouts.firstByte().toNanos();
    if (watchdog == null) { // a retry keeps the first attempt's total deadline
      totalDeadline = sent + timeouts.total().toNanos();
      watch(Math.min(Math.min(firstByteDeadline, totalDeadline),
          sent + timeouts.idle().toNanos()));
    }
    resumeReading();
  }

  /** The connection could not be made. */
  void unreachable(Throwable cause) {
    fail(ApiError.of(ApiError.Kind.SERVER, "llmsim could not reach the " + upstream.provider()
        + " upstream at " + upstream.baseUri() + ": " + describe(cause)).withStatus(502));
  }

  void onMessage(Object msg) {
    try {
      if (finished) {
        return;
      }
      lastReadNanos = now();
      if (msg instanceof HttpResponse response) {
        onHead(response);
      }
      if (msg instanceof HttpContent content && headReceived) {
        onContent(content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(HttpResponse response) {
    if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      return; // 100 Continue and friends: the real head follows
    }
    headReceived = true;
    keepAlive = HttpUtil.isKeepAlive(response);
    List<Map.Entry<String, String>> responseHeaders = ForwardHeaders.response(response.headers());
    if (tape != null) {
      // The recording keeps every header as the upstream sent it (lengths and framing are facts
      // replay decides by); redaction removes the secret ones before it is stored.
      tape.head(response.status().code(), List.copyOf(response.headers().entries()), now());
    }
    frames = new LiveFrames(this::demand, this::abandon);
    boolean streaming = !HttpUtil.isContentLengthSet(response) || isEventStream(response);
    if (!streaming) {
      whole = new ByteArrayOutputStream((int) Math.min(HttpUtil.getContentLength(response, 0L),
          16L << 20));
    }
    plan.complete(new ResponsePlan(response.status().code(), responseHeaders, streaming,
        now() - arrivalNanos, frames));
  }

  private void onContent(HttpContent content) {
    byte[] bytes = ByteBufUtil.getBytes(content.content());
    long at = now();
    if (bytes.length > 0) {
      if (tape != null) {
        tape.chunk(bytes, at);
      }
      if (whole != null) {
        whole.writeBytes(bytes);
      } else {
        frames.add(new Frame(at - arrivalNanos, bytes));
        if (!frames.wantsMore()) {
          // The client is behind: stop reading until the writer has taken half the queue.
          channel.config().setAutoRead(false);
        }
      }
    }
    if (content instanceof LastHttpContent) {
      if (whole != null) {
        frames.add(new Frame(at - arrivalNanos, whole.toByteArray()));
      }
      frames.end();
      finish(true);
      if (keepAlive) {
        resumeReading(); // paused by a full queue: a pooled connection reads, to see a close
        forwarder.release(upstream, channel, at);
      } else {
        channel.close();
      }
    }
  }

  /**
   * The live frames want more. Upstream connections read on their own (auto-read) and are paused
   * only while the queue is full: toggling reads per message would cost two epoll_ctl calls per
   * request.
   */
  private void demand() {
    if (!finished && channel != null && !channel.config().isAutoRead()) {
      // The pause was the client's doing: the upstream's quiet counts from now, or a watchdog
      // waking before the next read would take the paused time for the upstream idling.
      lastReadNanos = now();
      channel.config().setAutoRead(true);
    }
  }

  private void resumeReading() {
    if (!channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
  }

  /** The upstream connection closed or failed (null cause: closed). */
  void onClosed(Throwable cause) {
    if (finished) {
      return;
    }
    if (!headReceived && reused && !retried && lastReadNanos > 0) {
      // A pooled connection the server had already dropped: one fresh attempt, as browsers do.
      retried = true;
      firstByteDeadline = Long.MAX_VALUE; // until the request is out again
      connection.detach();
      forwarder.connect(this, upstream, loop);
      return;
    }
    if (!headReceived) {
      fail(ApiError.of(ApiError.Kind.SERVER, "the " + upstream.provider() + " upstream at "
          + upstream.baseUri() + " closed the connection without answering"
          + (cause == null ? "" : ": " + describe(cause))).withStatus(502));
      return;
    }
    frames.cut(now() - arrivalNanos);
    finish(false);
  }

  private void timedOut(String what) {
    if (finished) {
      return;
    }
    if (!headReceived) {
      fail(ApiError.of(ApiError.Kind.SERVER, "the " + upstream.provider() + " upstream at "
          + upstream.baseUri() + " " + what).withStatus(504));
      return;
    }
    frames.cut(now() - arrivalNanos);
    finish(false);
    channel.close();
  }

  private void watch(long deadlineNanos) {
    watchdog = loop.schedule(this::checkTimeouts, Math.max(deadlineNanos - now(), 0),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Ends the exchange past a limit, or sleeps until the next moment one could pass. The idle time
   * is not reset on every chunk: it is measured when the watchdog wakes.
   */
  private void checkTimeouts() {
    if (finished) {
      return;
    }
    long now = now();
    UpstreamTimeouts timeouts = upstream.timeouts();
    long idle = timeouts.idle().toNanos();
    if (now >= totalDeadline) {
      timedOut("did not finish within " + seconds(timeouts.total().toNanos())
          + " (total timeout)");
      return;
    }
    long next = totalDeadline;
    if (!headReceived) {
      if (now >= firstByteDeadline) {
        timedOut("sent no response headers within " + seconds(timeouts.firstByte().toNanos())
            + " (first-byte timeout)");
        return;
      }
      // The head may come just after this: its idle limit then passes no sooner than now + idle.
      next = Math.min(next, Math.min(firstByteDeadline, now + idle));
    } else if (channel.config().isAutoRead()) {
      // Reading, so quiet is the upstream's. (Paused, it is not: reading stays paused from a full
      // queue until the writer has taken half of it, so a queue with room is no proof.)
      if (now - lastReadNanos >= idle) {
        timedOut("sent nothing for " + seconds(idle) + " (idle timeout)");
        return;
      }
      next = Math.min(next, lastReadNanos + idle);
    } else {
      // A client that is not reading holds the upstream back: that is not the upstream idling.
      next = Math.min(next, now + idle);
    }
    watch(next);
  }

  /** The client went away: stop the upstream, keep what was recorded as incomplete. */
  private void abandon() {
    if (finished) {
      return;
    }
    finish(false);
    if (channel != null) {
      channel.close();
    }
  }

  private void fail(ApiError error) {
    finish(false);
    if (channel != null) {
      channel.close();
    }
    plan.complete(routed.dialect().error(error));
  }

  private void finish(boolean complete) {
    finished = true;
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    if (connection != null) {
      connection.detach();
    }
    if (tape != null) {
      recorder.save(tape, complete);
    }
  }

  private static boolean isEventStream(HttpResponse response) {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }

  private static String seconds(long nanos) {
    return (nanos / 1_000_000_000L) + "s";
  }

  /** A failure in words, without a stack trace (and never a header value). */
  static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  Routed routed() {
    return routed;
  }

  boolean isFinished() {
    return finished;
  }

}
