package io.llmsim.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test upstream that streams server-sent events with real gaps between them, one chunk per
 * event, which WireMock cannot do. Each answer follows a {@link Script}; every request it receives
 * is kept for assertions. Optionally serves TLS.
 */
final class TimedUpstream implements AutoCloseable {
  /** One event: sent {@code delayMillis} after the previous one (or after the headers). */
  record Event(long delayMillis, String text) {}

  /**
   * @param headersDelayMillis before the response headers
   * @param cutAfter close the connection after this many events, without ending the body; -1 never
   */
  record Script(int status, String contentType, long headersDelayMillis, List<Event> events,
      int cutAfter, boolean resets) {
    static Script sse(long gapMillis, String... events) {
      List<Event> list = new ArrayList<>();
      for (String e : events) {
        list.add(new Event(gapMillis, e));
      }
      return new Script(200, "text/event-stream; charset=utf-8", 0, list, -1, false);
    }

    /**
     * 5,000 events of 4 KB sent at once: 20 MB, more than every socket buffer between the
     * upstream and a client that does not read, so the upstream is held back.
     */
    static String[] flood() {
      String[] events = new String[5000];
      java.util.Arrays.fill(events, "data: " + "x".repeat(4090) + "\n\n");
      return events;
    }

    Script cutAfter(int n) {
      return new Script(status, contentType, headersDelayMillis, events, n, resets);
    }

    /** The cut is a TCP reset (RST), as a crashed upstream or a middlebox sends, not a close. */
    Script reset() {
      return new Script(status, contentType, headersDelayMillis, events, cutAfter, true);
    }

    Script headersAfter(long millis) {
      return new Script(status, contentType, millis, events, cutAfter, resets);
    }
  }

  /** A request as the upstream received it. */
  record Received(String method, String uri, Map<String, String> headers, String body) {}

  /**
   * What one answer actually sent, on {@code System.nanoTime}: when its request arrived and when
   * each event was written (read just before the write, so never later than it). Timing tests
   * compare with these rather than with the script, which a busy host follows late.
   */
  record Sent(Script script, long requestNanos, List<Long> eventNanos) {
    /** Microseconds from the request's arrival to event {@code i}'s write. */
    long eventMicros(int i) {
      return (eventNanos.get(i) - requestNanos) / 1000;
    }

    /**
     * When the reader had each event whole: the stamp of the chunk holding its last byte. A
     * reader passes on what each read delivers, so one event may come in two chunks.
     *
     * @param chunkSizes the sizes of the chunks read, in order
     * @param stamps when each chunk was read
     */
    long[] completedAt(List<Integer> chunkSizes, List<Long> stamps) {
      long[] at = new long[eventNanos.size()];
      long read = 0;
      long eventEnd = 0;
      int chunk = -1;
      for (int i = 0; i < at.length; i++) {
        eventEnd += script.events().get(i).text().getBytes(StandardCharsets.UTF_8).length;
        while (read < eventEnd) {
          read += chunkSizes.get(++chunk);
        }
        at[i] = stamps.get(chunk);
      }
      return at;
    }
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private volatile java.util.function.Supplier<Script> scripts =
      () -> Script.sse(0, "data: {}\n\n");
  final List<Received> received = new CopyOnWriteArrayList<>();
  /** Every answer's send log, in the order the requests arrived. */
  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  /** Set when an answer's connection stopped being writable: the reader held the upstream back. */
  volatile boolean heldBack;
  /**
   * When set, a scripted cut waits until it is open: a test opens it once its client has what came
   * before, so the cut cannot overtake those bytes on a busy host (a reset discards what the peer
   * has not read yet).
   */
  volatile CountDownLatch cutGate;
  /** Counts down when a connection closes before its script finished (the client went away). */
  volatile CountDownLatch abandoned = new CountDownLatch(1);

  TimedUpstream(SslContext tls) throws InterruptedException {
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.incrementAndGet();
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new Answer());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  TimedUpstream() throws InterruptedException {
    this(null);
  }

  void script(Script newScript) {
    scripts = () -> newScript;
  }

  /** A new script for every request (drawn timing, say); called on the upstream's thread. */
  void scripts(java.util.function.Supplier<Script> newScripts) {
    scripts = newScripts;
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (!ctx.channel().isWritable()) {
        heldBack = true;
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      long arrived = System.nanoTime();
      Map<String, String> headers = new LinkedHashMap<>();
      request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(), h.getValue(),
          (a, b) -> a + ", " + b));
      received.add(new Received(request.method().name(), request.uri(), headers,
          request.content().toString(StandardCharsets.UTF_8)));
      Script s = scripts.get();
      Sent log = new Sent(s, arrived, new CopyOnWriteArrayList<>());
      sent.add(log);
      ctx.executor().schedule(() -> {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(s.status()));
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, s.contentType());
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        head.headers().set("x-request-id", "req_upstream");
        head.headers().set("set-cookie", "session=upstream-secret-cookie");
        ctx.writeAndFlush(head);
        sendFrom(ctx, s, log, 0);
      }, s.headersDelayMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendFrom(ChannelHandlerContext ctx, Script s, Sent log, int index) {
      if (!ctx.channel().isActive()) {
        abandoned.countDown();
        return;
      }
      if (index == s.cutAfter()) {
        CountDownLatch gate = cutGate;
        if (gate != null && gate.getCount() > 0) {
          ctx.executor().schedule(() -> sendFrom(ctx, s, log, index), 5, TimeUnit.MILLISECONDS);
          return;
        }
        if (s.resets()) {
          ctx.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        }
        ctx.close();
        return;
      }
      if (index == s.events().size()) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        return;
      }
      Event e = s.events().get(index);
      ctx.executor().schedule(() -> {
        if (!ctx.channel().isActive()) {
          abandoned.countDown();
          return;
        }
        log.eventNanos().add(System.nanoTime());
        ctx.writeAndFlush(new DefaultHttpContent(
            Unpooled.copiedBuffer(e.text(), StandardCharsets.UTF_8)));
        sendFrom(ctx, s, log, index + 1);
      }, e.delayMillis(), TimeUnit.MILLISECONDS);
    }
  }


  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
