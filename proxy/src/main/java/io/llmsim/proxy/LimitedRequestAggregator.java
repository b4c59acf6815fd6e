package io.llmsim.proxy;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Router;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Map;

/**
 * Aggregates request bodies up to a limit (LLM requests are JSON documents; responses are never
 * aggregated) and answers a larger one with a provider-shaped 413, then closes the connection, since
 * the rest of the oversized body would otherwise be read as the next request.
 */
final class LimitedRequestAggregator extends HttpObjectAggregator {
  private final int maxBytes;
  private final Router router;

  LimitedRequestAggregator(int maxBytes, Router router) {
    super(maxBytes);
    this.maxBytes = maxBytes;
    this.router = router;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ApiError error = new ApiError(ApiError.Kind.TOO_LARGE, 413, null, "request_too_large", null,
        "Request body too large: the limit is " + maxBytes + " bytes.");
    ResponsePlan plan = oversized instanceof HttpRequest request
        ? router.error(ApiHandler.toApiRequest(request), error)
        : router.error(new ApiRequest("POST", "/", Map.of(), new byte[0], 0), error);
    Frame frame = plan.frames().next();
    byte[] body = frame == null ? new byte[0] : frame.bytes();
    ctx.pipeline().context(PlanWriter.ENCODER)
        .writeAndFlush(ResponseHead.whole(ctx.alloc(), plan, body, ResponseHead.Connection.CLOSE,
            false))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
