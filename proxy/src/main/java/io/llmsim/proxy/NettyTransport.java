package io.llmsim.proxy;

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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.slf4j.LoggerFactory;

/**
 * The server's transport: Linux epoll where its native library loads (fewer syscalls per write,
 * which is what a streaming server spends its time on), NIO elsewhere.
 * {@code -Dllmsim.transport=nio} forces NIO; {@code -Dllmsim.transport=io_uring} asks for Linux
 * io_uring (falling back to epoll where the kernel does not offer it), which submits many
 * sockets' writes in one system call.
 */
public final class NettyTransport {
  private enum Kind { NIO, EPOLL, IO_URING }

  private static final Kind KIND = choose(System.getProperty("llmsim.transport", ""));

  private NettyTransport() {}

  private static Kind choose(String asked) {
    if (asked.equals("nio")) {
      return Kind.NIO;
    }
    Kind fallback = Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
    if (asked.equals("io_uring")) {
      if (IoUring.isAvailable()) {
        return Kind.IO_URING;
      }
      LoggerFactory.getLogger(NettyTransport.class).warn(
          "io_uring was asked for but is not available here ({}); using {}",
          IoUring.unavailabilityCause(), fallback.name().toLowerCase(java.util.Locale.ROOT));
    }
    return fallback;
  }

  static IoHandlerFactory ioHandlerFactory() {
    return switch (KIND) {
      case IO_URING -> IoUringIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
    };
  }

  static Class<? extends ServerSocketChannel> serverChannel() {
    return switch (KIND) {
      case IO_URING -> IoUringServerSocketChannel.class;
      case EPOLL -> EpollServerSocketChannel.class;
      case NIO -> NioServerSocketChannel.class;
    };
  }

  /** The client socket class for connections made on the server's event loops. */
  public static Class<? extends SocketChannel> socketChannel() {
    return switch (KIND) {
      case IO_URING -> IoUringSocketChannel.class;
      case EPOLL -> EpollSocketChannel.class;
      case NIO -> NioSocketChannel.class;
    };
  }
}
