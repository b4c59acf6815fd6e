package io.llmsim.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.handler.codec.socksx.SocksMessage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A minimal SOCKS5 proxy for tests (no authentication, CONNECT only); remembers targets. */
final class SocksProxy implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  final List<String> tunnels = new CopyOnWriteArrayList<>();

  SocksProxy() throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("encoder", Socks5ServerEncoder.DEFAULT)
                .addLast("decoder", new Socks5InitialRequestDecoder())
                .addLast("socks", new Handshake());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private final class Handshake extends SimpleChannelInboundHandler<SocksMessage> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SocksMessage msg) {
      if (msg instanceof Socks5InitialRequest) {
        ctx.pipeline().replace("decoder", "decoder", new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
        return;
      }
      if (!(msg instanceof Socks5CommandRequest command)
          || command.type() != Socks5CommandType.CONNECT) {
        ctx.close();
        return;
      }
      tunnels.add(command.dstAddr() + ":" + command.dstPort());
      Channel inbound = ctx.channel();
      inbound.config().setAutoRead(false);
      new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
          .handler(new ConnectProxy.Relay(inbound))
          .connect(command.dstAddr(), command.dstPort())
          .addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
              inbound.writeAndFlush(new DefaultSocks5CommandResponse(
                  Socks5CommandStatus.FAILURE, Socks5AddressType.IPv4))
                  .addListener(ChannelFutureListener.CLOSE);
              return;
            }
            inbound.writeAndFlush(new DefaultSocks5CommandResponse(
                Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4)).addListener(w -> {
                  inbound.pipeline().remove("decoder");
                  inbound.pipeline().remove("encoder");
                  inbound.pipeline().replace("socks", "relay", new ConnectProxy.Relay(f.channel()));
                  inbound.config().setAutoRead(true);
                });
          });
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
