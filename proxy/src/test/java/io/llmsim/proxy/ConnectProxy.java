package io.llmsim.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A minimal HTTP CONNECT proxy for tests: opens tunnels, relays bytes, remembers targets. */
final class ConnectProxy implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  final List<String> tunnels = new CopyOnWriteArrayList<>();

  ConnectProxy() throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("codec", new HttpServerCodec()).addLast("connect", new Connect());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private final class Connect extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof HttpRequest request) || request.method() != HttpMethod.CONNECT) {
        ReferenceCountUtil.release(msg);
        return;
      }
      String target = request.uri();
      tunnels.add(target);
      int colon = target.lastIndexOf(':');
      Channel inbound = ctx.channel();
      inbound.config().setAutoRead(false);
      new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
          .handler(new Relay(inbound))
          .connect(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))
          .addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
              inbound.close();
              return;
            }
            inbound.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(200, "Connection established")))
                .addListener(w -> {
                  inbound.pipeline().remove("codec");
                  inbound.pipeline().replace("connect", "relay", new Relay(f.channel()));
                  inbound.config().setAutoRead(true);
                });
          });
    }
  }

  /** Copies what one side reads to the other; closes both together. */
  static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel other;

    Relay(Channel other) {
      this.other = other;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (other.isActive()) {
        other.writeAndFlush(msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
