package io.llmsim.proxy;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Router;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.ResponsePlan;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests one at a time, in order, so HTTP/1.1 pipelining is safe: a request that arrives
 * while an answer is still streaming waits in a small queue (reading pauses when it grows). Each
 * answer is a plan executed by a {@link PlanWriter}.
 *
 * <p>Last in the pipeline, after the aggregator: consumes {@link FullHttpRequest}s and releases each
 * once its plan is built. Holds per-connection state: not sharable.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  /** Pipelined requests beyond this many pause reading until the queue drains. */
  private static final int MAX_QUEUED = 16;
  /** Bodies larger than this are parsed off the event loop (tokenizing a huge prompt takes a while). */
  private static final int OFFLOAD_BYTES = 256 * 1024;

  /** Fired through every pipeline when the server begins a graceful stop. */
  static final Object SHUTDOWN = new Object();

  private final Router router;
  private final ModeDispatcher dispatcher;
  private final ServerState state;
  private final Executor offload;
  private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private PlanWriter current;
  /** An answer still being prepared (forwarded upstream, read from the store). */
  private CompletableFuture<ResponsePlan> preparing;
  private boolean busy;
  private boolean closing;
  private final long idleTimeoutNanos;
  /** The loop's tick wheel for timed writes; null writes each frame at its own deadline. */
  private final TickWheel wheel;
  private long lastActivityNanos;
  /**
   * Of the request being answered: a HEAD request gets no body; an HTTP/1.0 client is told when
   * it may keep the connection.
   */
  private boolean headRequest;
  private boolean http10;

  ApiHandler(Router router, ModeDispatcher dispatcher, ServerState state, Executor offload,
      long idleTimeoutNanos, TickWheel wheel) {
    this.router = router;
    this.dispatcher = dispatcher;
    this.state = state;
    this.offload = offload;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.wheel = wheel;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastActivityNanos = ctx.executor().ticker().nanoTime();
    if (idleTimeoutNanos > 0) {
      scheduleIdleCheck(idleTimeoutNanos);
    }
  }

  /**
   * Closes the connection once it has had no request and no answer in flight for the idle timeout.
   * One check per period instead of Netty's IdleStateHandler, which adds a listener to every write
   * (and a long gap inside a stream is not idleness here anyway).
   */
  private void scheduleIdleCheck(long delayNanos) {
    ctx.executor().schedule(() -> {
      if (closing || !ctx.channel().isActive()) {
        return;
      }
      long idleFor = ctx.executor().ticker().nanoTime() - lastActivityNanos;
      if (!busy && idleFor >= idleTimeoutNanos) {
        closing = true;
        ctx.close();
        return;
      }
      scheduleIdleCheck(busy ? idleTimeoutNanos : idleTimeoutNanos - idleFor);
    }, delayNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (closing) {
      request.release();
      return;
    }
    if (busy) {
      queue.add(request);
      if (queue.size() >= MAX_QUEUED) {
        ctx.channel().config().setAutoRead(false);
      }
      return;
    }
    start(request);
  }

  private void start(FullHttpRequest request) {
    busy = true;
    state.requestStarted();
    long startNanos = ctx.executor().ticker().nanoTime();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    headRequest = request.method().equals(HttpMethod.HEAD);
    http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    ApiRequest apiRequest;
    try {
      apiRequest = toApiRequest(request);
    } finally {
      request.release();
    }
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      write(router.error(apiRequest, decodeError(decoded.cause())), startNanos, false);
      return;
    }
    if (request.protocolVersion().majorVersion() != 1) {
      // Netty reads any HTTP/x.y; what follows an HTTP/2 preface is not HTTP/1 at all.
      write(router.error(apiRequest, unsupportedVersion(request)), startNanos, false);
      return;
    }
    EventLoop loop = ctx.channel().eventLoop();
    if (apiRequest.body().length <= OFFLOAD_BYTES) {
      answer(apiRequest, dispatcher.answer(apiRequest, loop, startNanos), startNanos, keepAlive);
      return;
    }
    offload.execute(() -> {
      CompletableFuture<ResponsePlan> answer = dispatcher.answer(apiRequest, loop, startNanos);
      loop.execute(() -> answer(apiRequest, answer, startNanos, keepAlive));
    });
  }

  /** Writes the answer now when it is ready (synthesis), else once it is. */
  private void answer(ApiRequest request, CompletableFuture<ResponsePlan> answer, long startNanos,
      boolean keepAlive) {
    if (answer.isDone() && !answer.isCompletedExceptionally()) {
      write(answer.join(), startNanos, keepAlive);
      return;
    }
    preparing = answer;
    answer.whenComplete((plan, failure) -> ctx.executor().execute(() -> {
      preparing = null;
      if (failure == null) {
        write(plan, startNanos, keepAlive);
      } else if (closing) {
        finished(); // cancelled: the client went away while the answer was being prepared
      } else {
        log.error("preparing an answer failed", failure);
        write(router.error(request, ApiError.of(ApiError.Kind.SERVER,
            "The server had an error while processing your request.")), startNanos, false);
      }
    }));
  }


  /** Copies what endpoints need out of Netty's request; the caller releases it. */
  static ApiRequest toApiRequest(HttpRequest request) {
    Map<String, String> headers =
        ApiRequest.LowercaseHeaders.of(request.headers(), request.headers().size());
    byte[] body = request instanceof FullHttpRequest full
        ? ByteBufUtil.getBytes(full.content())
        : new byte[0];
    return new ApiRequest(request.method().name(), request.uri(), headers, body,
        System.currentTimeMillis() / 1000);
  }

  private void write(ResponsePlan plan, long startNanos, boolean keepAlive) {
    if (closing) {
      plan.frames().cancel();
      finished();
      return;
    }
    // Told now, in the head: this answer is the connection's last.
    boolean last = !keepAlive || state.isShuttingDown();
    ResponseHead.Connection connection = last ? ResponseHead.Connection.CLOSE
        : http10 ? ResponseHead.Connection.KEEP_ALIVE
        : ResponseHead.Connection.DEFAULT;
    PlanWriter writer = new PlanWriter(ctx, plan, startNanos, wheel, connection, headRequest);
    current = writer; // before it starts: its first turn may already change writability
    writer.start();
    writer.done().addListener(f -> {
      current = null;
      if (!f.isSuccess() || last) {
        finished();
        closing = true;
        ctx.close();
        return;
      }
      finished();
      FullHttpRequest next = queue.poll();
      if (next != null) {
        start(next);
        return;
      }
      if (state.isShuttingDown()) { // began during this answer
        closing = true;
        ctx.close();
        return;
      }
      ctx.channel().config().setAutoRead(true);
    });
  }

  private void finished() {
    busy = false;
    lastActivityNanos = ctx.executor().ticker().nanoTime();
    state.requestFinished();
  }

  private static ApiError unsupportedVersion(HttpRequest request) {
    String message = request.method().name().equals("PRI") && request.uri().equals("*")
        ? "HTTP/2 with prior knowledge is not supported: llmsim speaks HTTP/1.1."
        : "HTTP version not supported: " + request.protocolVersion().text()
            + "; llmsim speaks HTTP/1.1.";
    return ApiError.of(ApiError.Kind.INVALID_REQUEST, message).withStatus(505);
  }

  private static ApiError decodeError(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return ApiError.of(ApiError.Kind.INVALID_REQUEST, "Request header fields too large.")
          .withStatus(431);
    }
    if (cause instanceof TooLongHttpLineException) {
      return ApiError.of(ApiError.Kind.INVALID_REQUEST, "Request URI too long.").withStatus(414);
    }
    String why = cause instanceof TooLongFrameException
        ? "a part of it is too large"
        : "it is not valid HTTP";
    return ApiError.of(ApiError.Kind.INVALID_REQUEST, "The request could not be read: " + why + ".");
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.onWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == SHUTDOWN) {
      // A simulated timeout would otherwise hold the stop for the whole grace period.
      if (!busy || (current != null && current.isSilent())) {
        closing = true;
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (preparing != null) {
      preparing.cancel(false);
    }
    if (current != null) {
      current.cancel();
    }
    FullHttpRequest queued;
    while ((queued = queue.poll()) != null) {
      queued.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A client going away (reset, broken pipe, closed mid-request) is routine, not a fault.
    if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
      log.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("unexpected error on {}", ctx.channel().remoteAddress(), cause);
    }
    closing = true;
    if (current != null) {
      current.cancel();
    }
    ctx.close();
  }
}
