package io.llmsim.proxy;

import io.llmsim.core.api.Router;
import io.llmsim.proxy.metrics.WriteTimings;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.EventExecutor;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Assembles each connection's pipeline, nothing more:
 *
 * <pre>
 * decoder -> encoder -> aggregator (bounded; requests only) -> api (also closes idle connections)
 * </pre>
 *
 * <p>The api handler answers keep-alive itself, and writes its answers as bytes below the encoder
 * (see {@link PlanWriter}); the encoder is there for the few responses Netty's aggregator writes
 * ({@code 100 Continue}, {@code 417}).
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADER_BYTES = 32 * 1024;

  private final ServerConfig config;
  private final Router router;
  private final ModeDispatcher dispatcher;
  private final ServerState state;
  private final ChannelGroup channels;
  private final Executor offload;
  /** Each event loop's tick wheel, made when the loop gets its first connection. */
  private final Map<EventExecutor, TickWheel> wheels = new ConcurrentHashMap<>();
  /** Told how each answer kept its schedule. */
  private final WriteTimings timings;

  ServerInitializer(
      ServerConfig config, Router router, ModeDispatcher dispatcher, ServerState state,
      ChannelGroup channels, Executor offload, WriteTimings timings) {
    this.timings = Objects.requireNonNull(timings, "timings");
    this.config = config;
    this.router = router;
    this.dispatcher = dispatcher;
    this.state = state;
    this.channels = channels;
    this.offload = offload;
  }

  /** The loop's wheel; null when the timer tick is off. */
  private TickWheel wheel(EventExecutor loop) {
    long tick = config.timerTick().toNanos();
    return tick == 0 ? null : wheels.computeIfAbsent(loop, l -> new TickWheel(l, tick));
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    channels.add(ch);
    ch.attr(PlanWriter.TIMINGS).set(timings);
    ChannelPipeline p = ch.pipeline();
    p.addLast("decoder", new HttpRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 64 * 1024));
    p.addLast(PlanWriter.ENCODER, new HttpResponseEncoder());
    p.addLast("aggregator", new LimitedRequestAggregator(config.maxRequestBytes(), router));
    p.addLast("api",
        new ApiHandler(router, dispatcher, state, offload, config.idleTimeout().toNanos(),
            wheel(ch.eventLoop())));
  }
}
