package io.llmsim.proxy.upstream;

import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.proxy.NettyTransport;
import io.llmsim.proxy.record.Recorder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Sends requests to the configured upstreams and returns their answers as live plans (record and
 * passthrough). Connections are made on the client connection's event loop and pooled per loop
 * with keep-alive; TLS verifies the upstream's certificate and host name; an outbound HTTP
 * CONNECT or SOCKS5 proxy is used when configured. Only configured upstreams are contacted: a
 * request's path is joined to its upstream by {@link UpstreamTarget}, which refuses (400) a path
 * that could name another host or climb out of the upstream's path prefix.
 */
public final class Forwarder {
  /** Set on a connection once its proxy and TLS handshakes are done: the connect timer spares it. */
  private static final AttributeKey<Boolean> READY = AttributeKey.valueOf("llmsim.upstream.ready");

  private final UpstreamSettings settings;
  private final Recorder recorder;
  private final SslContext ssl;
  private final UpstreamPool pool = new UpstreamPool();
  /** Host-name lookups, which block in the JDK, happen here and never on an event loop. */
  private final ExecutorService resolver =
      Executors.newCachedThreadPool(new DefaultThreadFactory("llmsim-dns", true));

  /** @param recorder stores recorded exchanges; null when this server cannot record */
  public Forwarder(UpstreamSettings settings, Recorder recorder) {
    this.settings = settings;
    this.recorder = recorder;
    try {
      this.ssl = SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .trustManager(TrustedCertificates.trustManager(settings.trustedCertificates()))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for upstreams: " + e.getMessage(), e);
    }
  }

  public boolean canRecord() {
    return recorder != null;
  }

  /**
   * Forwards {@code routed} to its provider's upstream. Runs on {@code loop} (the client
   * connection's); {@code arrivalNanos} is when the client's request arrived on the loop's ticker,
   * which the plan's offsets count from. The future never fails: errors are answers in the
   * endpoint's shape. Cancelling it before it completes abandons the upstream request.
   */
  public CompletableFuture<ResponsePlan> forward(Routed routed, boolean record, EventLoop loop,
      long arrivalNanos) {
    Upstream upstream = settings.upstream(routed.provider());
    if (upstream == null) {
      return CompletableFuture.completedFuture(routed.dialect().error(ApiError.of(
          ApiError.Kind.SERVER, "llmsim has no upstream for " + routed.provider()
              + "; configure one with --upstream " + routed.provider() + "=URL")
          .withStatus(502)));
    }
    if (record && recorder == null) {
      return CompletableFuture.completedFuture(routed.dialect().error(ApiError.of(
          ApiError.Kind.SERVER, "llmsim cannot record: it has no store").withStatus(500)));
    }
    String key = settings.injectKeys() ? settings.keys().get(routed.provider()) : null;
    String query = routed.request().rawQuery();
    if (key != null && routed.provider().equals("gemini")) {
      query = ForwardHeaders.withoutKeyParam(query);
    }
    UpstreamTarget target;
    try {
      target = new UpstreamTarget(upstream, routed.request().path(), query);
    } catch (UpstreamTarget.RefusedException e) {
      return CompletableFuture.completedFuture(routed.dialect().error(
          ApiError.invalidRequest("llmsim does not forward this request: " + e.getMessage(),
              null, "invalid_path")));
    }
    List<Map.Entry<String, String>> headers =
        ForwardHeaders.request(routed.original().headers(), routed.provider(), key, record);
    ForwardedExchange exchange = new ForwardedExchange(this, routed, upstream, loop,
        arrivalNanos, record ? recorder : null, target, headers);
    if (loop.inEventLoop()) {
      connect(exchange, upstream, loop);
    } else {
      loop.execute(() -> connect(exchange, upstream, loop));
    }
    return exchange.plan;
  }

  /** Finds or opens a connection for {@code exchange} and sends it; on {@code loop}. */
  void connect(ForwardedExchange exchange, Upstream upstream, EventLoop loop) {
    if (exchange.isFinished()) {
      return;
    }
    Channel idle = pool.poll(poolKey(upstream), loop.ticker().nanoTime());
    if (idle != null) {
      exchange.send(idle, idle.pipeline().get(UpstreamConnection.class), true);
      return;
    }
    OutboundProxy proxy = settings.proxy() != null && settings.proxy().appliesTo(upstream.host())
        ? settings.proxy() : null;
    UpstreamConnection connection = new UpstreamConnection();
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(NettyTransport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, upstream.timeouts().connect().toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            if (proxy != null) {
              p.addLast("proxy", proxyHandler(proxy, upstream));
            }
            p.addLast("codec", new HttpClientCodec(8192, 64 * 1024, 64 * 1024));
            p.addLast("upstream", connection);
          }
        });
    // Through a proxy, the proxy handler connects to the proxy and asks it for the upstream by
    // name: nothing is resolved here (the proxy may be the only one that can resolve it).
    // Directly, the name is resolved off the loop first (the JDK's lookup blocks; it caches).
    bootstrap.resolver(NoopAddressResolverGroup.INSTANCE);
    if (proxy != null) {
      open(bootstrap, InetSocketAddress.createUnresolved(upstream.host(), upstream.port()),
          exchange, upstream, proxy, connection, loop);
      return;
    }
    CompletableFuture.supplyAsync(
            () -> new InetSocketAddress(upstream.host(), upstream.port()), resolver)
        .whenComplete((address, failure) -> loop.execute(() -> {
          if (address == null || address.isUnresolved()) {
            exchange.unreachable(failure != null ? failure
                : new java.net.UnknownHostException("unknown host " + upstream.host()));
          } else {
            open(bootstrap, address, exchange, upstream, null, connection, loop);
          }
        }));
  }

  private void open(Bootstrap bootstrap, InetSocketAddress target, ForwardedExchange exchange,
      Upstream upstream, OutboundProxy proxy, UpstreamConnection connection, EventLoop loop) {
    if (exchange.isFinished()) {
      return;
    }
    long deadlineNanos = upstream.timeouts().connect().toNanos();
    ChannelFuture connect = bootstrap.connect(target);
    Channel ch = connect.channel();
    ScheduledFuture<?> timeout = loop.schedule(() -> {
      if (!exchange.isFinished() && ch.isOpen() && !ch.hasAttr(READY)) {
        ch.close();
        exchange.unreachable(new TimeoutException(
            "no connection within " + upstream.timeouts().connect().toSeconds()
                + "s (connect timeout)"));
      }
    }, deadlineNanos, TimeUnit.NANOSECONDS);
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        timeout.cancel(false);
        exchange.unreachable(f.cause());
        return;
      }
      Future<?> handshakes = proxy != null
          ? ch.pipeline().get(ProxyHandler.class).connectFuture()
          : ch.newSucceededFuture();
      handshakes.addListener(p -> {
        if (!p.isSuccess()) {
          timeout.cancel(false);
          ch.close();
          exchange.unreachable(p.cause());
          return;
        }
        if (!upstream.tls()) {
          ready(ch, connection, exchange, timeout);
          return;
        }
        SslHandler tls = tlsHandler(ch, upstream);
        if (proxy != null) {
          ch.pipeline().addAfter("proxy", "tls", tls);
        } else {
          ch.pipeline().addFirst("tls", tls);
        }
        tls.handshakeFuture().addListener(h -> {
          if (!h.isSuccess()) {
            timeout.cancel(false);
            ch.close();
            exchange.unreachable(h.cause());
            return;
          }
          ready(ch, connection, exchange, timeout);
        });
      });
    });
  }

  private static void ready(Channel ch, UpstreamConnection connection,
      ForwardedExchange exchange, ScheduledFuture<?> timeout) {
    timeout.cancel(false);
    ch.attr(READY).set(Boolean.TRUE);
    exchange.send(ch, connection, false);
  }

  /** Keeps a connection whose exchange finished cleanly, for the next request to the upstream. */
  void release(Upstream upstream, Channel ch, long nowNanos) {
    pool.release(poolKey(upstream), ch, nowNanos);
  }

  private SslHandler tlsHandler(Channel ch, Upstream upstream) {
    SslHandler handler = ssl.newHandler(ch.alloc(), upstream.host(), upstream.port());
    SSLParameters params = handler.engine().getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
    handler.engine().setSSLParameters(params);
    handler.setHandshakeTimeoutMillis(upstream.timeouts().connect().toMillis());
    return handler;
  }

  private static ProxyHandler proxyHandler(OutboundProxy proxy, Upstream upstream) {
    InetSocketAddress address = new InetSocketAddress(proxy.host(), proxy.port());
    ProxyHandler handler = switch (proxy.type()) {
      case HTTP -> proxy.username() == null ? new HttpProxyHandler(address)
          : new HttpProxyHandler(address, proxy.username(), proxy.password());
      case SOCKS5 -> proxy.username() == null ? new Socks5ProxyHandler(address)
          : new Socks5ProxyHandler(address, proxy.username(), proxy.password());
    };
    handler.setConnectTimeoutMillis(upstream.timeouts().connect().toMillis());
    return handler;
  }

  private static String poolKey(Upstream upstream) {
    return upstream.baseUri().getScheme() + "://" + upstream.host() + ":" + upstream.port();
  }
}
