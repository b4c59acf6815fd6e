package io.llmsim.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses accepting when an accept fails, typically because the process is out of file descriptors
 * ({@code Too many open files}), and retries after a delay that doubles while accepts keep failing.
 * The pending connections wait in the kernel's backlog; the connections already open keep being
 * served. Without it, each failure logged a stack trace and the accept loop retried at once (at
 * ~21,000 connections: 100% CPU and 4.76 million log lines in 25 s).
 *
 * <p>Logged at most once per {@link #LOG_INTERVAL_NANOS}, with the count of failed accepts: under a
 * steady flood, accepts fail and succeed in turn as connections close, and a line per change would
 * flood the log again.
 *
 * <p>On the server channel's pipeline, before Netty's acceptor (the bootstrap's {@code handler}):
 * it takes accept failures, so that neither the acceptor's own fixed pause nor the pipeline's tail
 * (which logs every exception with its stack trace) sees them.
 */
final class AcceptBackoff extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(AcceptBackoff.class);
  private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long LONGEST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private long pauseNanos = FIRST_PAUSE_NANOS;
  /** Failed accepts not yet logged. */
  private long unreported;
  /** True from a failed accept until a successful one is reported. */
  private boolean failing;
  private long lastLogNanos;
  private boolean loggedOnce;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object child) {
    pauseNanos = FIRST_PAUSE_NANOS;
    if (failing && mayLog(ctx)) {
      log.info("accepting connections again ({} more failed accepts since the last report; {} "
          + "file descriptors)", unreported, FileDescriptors.describe());
      unreported = 0;
      failing = false;
    }
    ctx.fireChannelRead(child);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    failing = true;
    unreported++;
    if (mayLog(ctx)) {
      log.warn("cannot accept connections: {} ({} failed accepts since the last report; {} file "
              + "descriptors); pausing accepts, open connections are still served",
          cause.getMessage(), unreported, FileDescriptors.describe());
      unreported = 0;
    }
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true),
          pauseNanos, TimeUnit.NANOSECONDS);
      pauseNanos = Math.min(pauseNanos * 2, LONGEST_PAUSE_NANOS);
    }
  }

  /** True, and the clock restarted, when the last line is at least an interval old. */
  private boolean mayLog(ChannelHandlerContext ctx) {
    long now = ctx.executor().ticker().nanoTime();
    if (loggedOnce && now - lastLogNanos < LOG_INTERVAL_NANOS) {
      return false;
    }
    loggedOnce = true;
    lastLogNanos = now;
    return true;
  }
}
