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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's transport: Linux io_uring where the kernel offers it (it submits many sockets'
 * reads and writes in one system call, where epoll makes one per socket and a streaming server
 * spends most of its CPU there), else Linux epoll, else NIO. {@code -Dllmsim.transport=epoll} or
 * {@code =nio} forces one; io_uring is often refused inside containers by seccomp, and then the
 * fallback is taken quietly.
 */
public final class NettyTransport {
  private enum Kind { NIO, EPOLL, IO_URING }

  private static final Kind KIND = choose(System.getProperty("llmsim.transport", ""));

  private NettyTransport() {}

  private static Kind choose(String asked) {
    Kind fallback = Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
    Logger log = LoggerFactory.getLogger(NettyTransport.class);
    switch (asked) {
      case "nio":
        return Kind.NIO;
      case "epoll":
        return fallback;
      case "", "io_uring":
        if (IoUring.isAvailable()) {
          return Kind.IO_URING;
        }
        // Asked for by name, its absence is worth a warning; by default, only a debug line.
        String message = "io_uring is not available here ({}); using {}";
        if (asked.isEmpty()) {
          log.debug(message, IoUring.unavailabilityCause(), name(fallback));
        } else {
          log.warn(message, IoUring.unavailabilityCause(), name(fallback));
        }
        return fallback;
      default:
        log.warn(
            "llmsim.transport is io_uring, epoll or nio, not '{}'; choosing as if unset", asked);
        return choose("");
    }
  }

  private static String name(Kind kind) {
    return kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The transport in use: io_uring, epoll or nio. */
  public static String name() {
    return name(KIND);
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
