package io.llmsim.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upstream connection: hands what the connection reads to the exchange
 * using it. A pooled connection between exchanges has none; if it reads anything then, it is
 * closed.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(UpstreamConnection.class);

  private ForwardedExchange exchange;

  void attach(ForwardedExchange newExchange) {
    exchange = newExchange;
  }

  void detach() {
    exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (exchange != null) {
      exchange.onMessage(msg);
    } else {
      // Bytes nobody asked for would be taken for the next exchange's answer.
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ForwardedExchange current = exchange;
    exchange = null;
    if (current != null) {
      current.onClosed(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ForwardedExchange current = exchange;
    exchange = null;
    if (current != null) {
      current.onClosed(cause);
    } else if (!(cause instanceof IOException)) {
      log.debug("idle upstream connection failed: {}", cause.toString());
    }
    ctx.close();
  }
}
