package io.llmsim.proxy;

import io.llmsim.core.error.ApiError;
import io.llmsim.core.openai.OpenAiErrors;
import io.llmsim.core.openai.OpenAiHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Aggregates request bodies up to a limit (LLM requests are JSON documents; responses are never
 * aggregated) and answers a larger one with a provider-shaped 413, then closes the connection, since
 * the rest of the oversized body would otherwise be read as the next request.
 */
final class LimitedRequestAggregator extends HttpObjectAggregator {
  private final int maxBytes;

  LimitedRequestAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ApiError error =
        new ApiError(413, "invalid_request_error", "request_too_large", null,
            "Request body too large: the limit is " + maxBytes + " bytes.");
    byte[] body = OpenAiErrors.body(error);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(body));
    for (Map.Entry<String, String> header :
        OpenAiHeaders.plain(OpenAiHeaders.requestId(ThreadLocalRandom.current()))) {
      response.headers().set(header.getKey(), header.getValue());
    }
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
