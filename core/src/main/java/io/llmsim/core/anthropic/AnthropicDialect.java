package io.llmsim.core.anthropic;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Anthropic's error shape and wording (WIRE-FORMATS §5.5). */
public final class AnthropicDialect implements Dialect {
  public static final AnthropicDialect INSTANCE = new AnthropicDialect();

  /** Anthropic's paths, with or without the {@code /anthropic} prefix. */
  private static final Pattern KNOWN_PATH =
      Pattern.compile("(/anthropic)?/v1/(models(/[^/]+)?|messages(/count_tokens)?)");

  private AnthropicDialect() {}

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public ResponsePlan error(ApiError error) {
    String requestId = AnthropicHeaders.requestId(ThreadLocalRandom.current());
    return ResponsePlan.of(error.status(), AnthropicHeaders.plain(requestId),
        AnthropicErrors.body(error, requestId), 0);
  }

  @Override
  public byte[] streamError(ApiError error, ApiRequest request, List<Frame> sent) {
    return AnthropicErrors.streamEvent(error);
  }

  @Override
  public ApiError invalidJson(String detail) {
    return ApiError.invalidRequest(
        "There was an error parsing the body of your request as JSON: " + detail, null, null);
  }

  /**
   * A 404, except for one of Anthropic's own paths asked for without {@code anthropic-version}:
   * the routes shared with OpenAI ({@code /v1/models}) only match requests carrying Anthropic's
   * headers, so under {@code /anthropic} the missing header is what is really wrong.
   */
  @Override
  public ApiError unknownPath(ApiRequest request) {
    if (request.header(AnthropicApi.VERSION_HEADER) == null
        && KNOWN_PATH.matcher(request.path()).matches()) {
      return AnthropicApi.missingVersion();
    }
    return ApiError.notFound("Not Found", null);
  }

  @Override
  public ApiError wrongMethod(ApiRequest request) {
    return ApiError.of(ApiError.Kind.METHOD_NOT_ALLOWED,
        "Method Not Allowed: " + request.method() + " " + request.path());
  }
}
