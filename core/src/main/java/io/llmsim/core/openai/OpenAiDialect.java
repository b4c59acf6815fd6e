package io.llmsim.core.openai;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** OpenAI's error shape and wording (WIRE-FORMATS §2.5). */
public final class OpenAiDialect implements Dialect {
  public static final OpenAiDialect INSTANCE = new OpenAiDialect();

  private OpenAiDialect() {}

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public ResponsePlan error(ApiError error) {
    // OpenAI has no 529: an overload is a 503.
    int status = error.status() == 529 ? 503 : error.status();
    return ResponsePlan.of(status,
        OpenAiHeaders.plain(OpenAiHeaders.requestId(ThreadLocalRandom.current())),
        OpenAiErrors.body(error), 0);
  }

  @Override
  public byte[] streamError(ApiError error, ApiRequest request, List<Frame> sent) {
    return OpenAiErrors.streamEvent(error, request.path().endsWith("/responses"), sent);
  }

  @Override
  public ApiError invalidJson(String detail) {
    return ApiError.invalidRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't"
            + " using your HTTP library correctly. The OpenAI API expects a JSON payload, but what"
            + " was sent was not valid JSON: " + detail + ")",
        null, null);
  }

  @Override
  public ApiError unknownPath(ApiRequest request) {
    return ApiError.notFound("Invalid URL (" + request.method() + " " + request.path() + ")", null);
  }

  @Override
  public ApiError wrongMethod(ApiRequest request) {
    return ApiError.of(ApiError.Kind.METHOD_NOT_ALLOWED,
        "Invalid method for URL (" + request.method() + " " + request.path() + ")");
  }
}
