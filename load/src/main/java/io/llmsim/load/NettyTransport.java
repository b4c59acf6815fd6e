package io.llmsim.load;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The driver's transport: Linux epoll where its native library loads, NIO elsewhere
 * ({@code -Dllmsim.transport=nio} forces NIO). Unlike the server, which prefers io_uring, it
 * stays on epoll, so the driver and its trivial-server floor measure the same way whatever
 * the server under test runs on. (A twin of the proxy module's class, so the driver does not
 * depend on the server.)
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

  static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  static String name() {
    return EPOLL ? "epoll" : "nio";
  }
}
