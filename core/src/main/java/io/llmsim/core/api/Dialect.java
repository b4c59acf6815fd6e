package io.llmsim.core.api;

import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;

/**
 * The error side of a provider's wire format: how its errors look (status, headers, body), and its
 * wording for the errors the router finds itself. Implementations are stateless and thread-safe.
 */
public interface Dialect {
  /** Short name: {@code openai}, {@code anthropic}, {@code gemini}, {@code azure}. */
  String name();

  /** A whole error answer in this provider's shape, sent at once. */
  ResponsePlan error(ApiError error);

  /** The error for a body that is not JSON; {@code detail} says what the parser found. */
  ApiError invalidJson(String detail);

  /**
   * An error that strikes a stream after its 200 headers were sent, in this provider's in-stream
   * form: one whole event after which the body ends. The request tells endpoints apart whose
   * streams differ (OpenAI's Responses API uses {@code event: error}, chat a {@code data:} line);
   * {@code sent} lets a format that numbers its events go on with the stream's numbering
   * (Responses' {@code sequence_number}).
   *
   * @param sent the frames sent before the error, oldest first
   */
  byte[] streamError(ApiError error, ApiRequest request, List<Frame> sent);

  /** No route has this path. */
  ApiError unknownPath(ApiRequest request);

  /** A route has this path but not this method. */
  ApiError wrongMethod(ApiRequest request);
}
