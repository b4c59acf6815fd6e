package io.llmsim.proxy;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The server's transport: Linux epoll where its native library loads (fewer syscalls per write, which is what a streaming
 * server spends its time on), NIO elsewhere. {@code -Dllmsim.transport=nio} forces NIO.
 */
final class NettyTransport {
  static final boolean EPOLL =
      !"nio".equals(System.getProperty("llmsim.transport")) && Epoll.isAvailable();

  private NettyTransport() {}

  static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
