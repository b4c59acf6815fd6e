package io.llmsim.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load driver's floor: a minimal HTTP server on the loopback interface that answers every
 * request with an OpenAI-chat-shaped SSE stream (or, when not streaming, a small JSON body at
 * once). It does no work per token beyond writing a constant chunk, so a load run against it
 * shows what the driver itself can measure on the machine.
 *
 * <p>A stream is the response headers and an empty role delta, then {@code tokens} events (each
 * as long as a real chunk, about 310 bytes with its envelope fields) due at request arrival +
 * ttft + j * itl (scheduled on the channel's event loop at those absolute deadlines, so timer
 * slack does not accumulate), then {@code data: [DONE]} and the end of the chunked body.
 * Connections are kept alive; pipelined requests are answered in order.
 */
public final class TrivialStreamServer implements AutoCloseable {
  /** The fields every chunk of a real chat stream carries, so the driver parses as much. */
  private static final String ENVELOPE = "{\"id\":\"chatcmpl-trivial0000000000000000000000\","
      + "\"object\":\"chat.completion.chunk\",\"created\":1795948711,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
      + "\"system_fingerprint\":\"fp_0771a14605\",\"choices\":[{\"index\":0,\"delta\":";
  private static final byte[] ROLE = sse(ENVELOPE + "{\"role\":\"assistant\",\"content\":\"\","
      + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"obfuscation\":\"9\"}");
  private static final byte[] TOKEN = sse(ENVELOPE + "{\"content\":\"tok\"},\"logprobs\":null,"
      + "\"finish_reason\":null}],\"obfuscation\":\"hJpZ\"}");
  private static final byte[] DONE = sse("[DONE]");
  private static final byte[] JSON = ("{\"id\":\"chatcmpl-trivial\",\"object\":\"chat.completion\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"tok\"},"
      + "\"finish_reason\":\"stop\"}]}").getBytes(StandardCharsets.UTF_8);

  /**
   * How the server answers.
   *
   * @param port port to listen on, 0 for an ephemeral one
   * @param ttft delay from request arrival to the first token event
   * @param itl gap between token events
   * @param tokens token events per stream
   * @param streaming SSE streams when true, an immediate JSON body when false
   * @param ioThreads event loop threads
   */
  public record Config(
      int port, Duration ttft, Duration itl, int tokens, boolean streaming, int ioThreads) {

    public Config {
      Objects.requireNonNull(ttft, "ttft");
      Objects.requireNonNull(itl, "itl");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      if (ttft.isNegative() || itl.isNegative()) {
        throw new IllegalArgumentException("ttft and itl must be >= 0");
      }
      if (tokens < 0) {
        throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
      }
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be >= 1, got " + ioThreads);
      }
    }

    /** Streams of {@code tokens} events on one event loop thread. */
    public static Config streaming(int port, Duration ttft, Duration itl, int tokens) {
      return new Config(port, ttft, itl, tokens, true, 1);
    }

    /** Immediate JSON answers on one event loop thread. */
    public static Config json(int port) {
      return new Config(port, Duration.ZERO, Duration.ZERO, 0, false, 1);
    }
  }

  private final Config config;
  private final Recorder writeLateness;
  private final EventLoopGroup group;
  private final Channel serverChannel;

  private TrivialStreamServer(
      Config config, Recorder writeLateness, EventLoopGroup group, Channel serverChannel) {
    this.config = config;
    this.writeLateness = writeLateness;
    this.group = group;
    this.serverChannel = serverChannel;
  }

  /** Starts a server on 127.0.0.1 and returns once it listens. */
  public static TrivialStreamServer start(Config config) throws InterruptedException {
    Recorder writeLateness = new Recorder(TimeUnit.HOURS.toMicros(1), 3);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
        new DefaultThreadFactory("llmsim-trivial"), NettyTransport.ioHandlerFactory());
    try {
      Channel channel = new ServerBootstrap()
          .group(group)
          .channel(NettyTransport.serverChannel())
          // Deep accept queue for connection ramps; the kernel caps it at somaxconn.
          .option(ChannelOption.SO_BACKLOG, 16_384)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpServerCodec(), new Handler(config, writeLateness));
            }
          })
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()))
          .sync()
          .channel();
      return new TrivialStreamServer(config, writeLateness, group, channel);
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The configuration the server runs with. */
  public Config config() {
    return config;
  }

  /**
   * How late token events were written against their schedule (microseconds), since the previous
   * call: the server's share of the lateness a load run measures.
   */
  public Histogram takeWriteLateness() {
    return writeLateness.getIntervalHistogram();
  }

  /** The port the server listens on. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** A chat completions URL on this server. */
  public String url() {
    return "http://127.0.0.1:" + port() + "/v1/chat/completions";
  }

  /** A future that completes when the server channel closes. */
  public io.netty.channel.ChannelFuture closeFuture() {
    return serverChannel.closeFuture();
  }

  /**
   * Stops listening, drops open connections and waits (bounded) for the threads to end. If
   * interrupted it stops waiting and keeps the thread's interrupt status.
   */
  @Override
  public void close() {
    try {
      serverChannel.close().await(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] sse(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static ByteBuf buffer(ByteBufAllocator alloc, byte[] bytes) {
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /** Per connection: answers requests one after the other. */
  private static final class Handler extends SimpleChannelInboundHandler<HttpObject> {
    private final Config config;
    private final Recorder writeLateness;
    private final long ttftNanos;
    private final long itlNanos;
    /** Arrival time and keep-alive of requests waiting behind the stream in progress. */
    private final ArrayDeque<long[]> waiting = new ArrayDeque<>();
    private long arrivalNanos;
    private boolean keepAlive;
    private boolean streaming;

    Handler(Config config, Recorder writeLateness) {
      this.config = config;
      this.writeLateness = writeLateness;
      this.ttftNanos = config.ttft().toNanos();
      this.itlNanos = config.itl().toNanos();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg.decoderResult().isFailure()) {
        FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.BAD_REQUEST);
        HttpUtil.setContentLength(bad, 0);
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (msg instanceof HttpRequest request) {
        arrivalNanos = System.nanoTime();
        keepAlive = HttpUtil.isKeepAlive(request);
      }
      if (msg instanceof LastHttpContent) {
        if (!config.streaming()) {
          answerJson(ctx, keepAlive);
        } else if (streaming) {
          waiting.add(new long[] {arrivalNanos, keepAlive ? 1 : 0});
        } else {
          new Stream(ctx, arrivalNanos, keepAlive).begin();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // typically a reset by a client that went away; nothing to answer
    }

    private void answerJson(ChannelHandlerContext ctx, boolean keepAlive) {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.OK, buffer(ctx.alloc(), JSON));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
      HttpUtil.setContentLength(response, JSON.length);
      HttpUtil.setKeepAlive(response, keepAlive);
      if (keepAlive) {
        ctx.writeAndFlush(response, ctx.voidPromise());
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    /** One SSE answer; reschedules itself for each token at its absolute deadline. */
    private final class Stream implements Runnable {
      private final ChannelHandlerContext ctx;
      private final long arrival;
      private final boolean keepAlive;
      private int next;

      Stream(ChannelHandlerContext ctx, long arrival, boolean keepAlive) {
        this.ctx = ctx;
        this.arrival = arrival;
        this.keepAlive = keepAlive;
      }

      void begin() {
        streaming = true;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        HttpUtil.setTransferEncodingChunked(head, true);
        HttpUtil.setKeepAlive(head, keepAlive);
        ctx.write(head, ctx.voidPromise());
        ctx.writeAndFlush(new DefaultHttpContent(buffer(ctx.alloc(), ROLE)), ctx.voidPromise());
        schedule();
      }

      private long due() {
        return arrival + ttftNanos + next * itlNanos;
      }

      private void schedule() {
        ctx.executor().schedule(this, Math.max(0, due() - System.nanoTime()),
            TimeUnit.NANOSECONDS);
      }

      @Override
      public void run() {
        if (!ctx.channel().isActive()) {
          return;
        }
        if (next < config.tokens()) {
          long late = (System.nanoTime() - due()) / 1_000;
          writeLateness.recordValue(Math.min(TimeUnit.HOURS.toMicros(1), Math.max(0, late)));
          ctx.writeAndFlush(new DefaultHttpContent(buffer(ctx.alloc(), TOKEN)),
              ctx.voidPromise());
          next++;
          if (next < config.tokens()) {
            schedule();
            return;
          }
        }
        LastHttpContent last = new DefaultLastHttpContent(buffer(ctx.alloc(), DONE));
        if (!keepAlive) {
          ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
          return;
        }
        ctx.writeAndFlush(last, ctx.voidPromise());
        streaming = false;
        long[] queued = waiting.poll();
        if (queued != null) {
          new Stream(ctx, queued[0], queued[1] == 1).begin();
        }
      }
    }
  }
}
