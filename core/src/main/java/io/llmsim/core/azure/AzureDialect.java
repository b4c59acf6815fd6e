package io.llmsim.core.azure;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.openai.OpenAiDialect;
import io.llmsim.core.openai.OpenAiErrors;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Azure OpenAI's errors (WIRE-FORMATS §7.1). Azure's gateway answers with a two-key body,
 * {@code {"error": {"code": "429", "message": ...}}}, whose {@code code} is a string of digits or
 * an Azure word ({@code DeploymentNotFound}, {@code BadRequest}) and which has no {@code type};
 * the model service behind it answers validation errors in OpenAI's four-key shape. So errors of
 * the gateway's kinds (401, 403, 404, 405, 429) and errors that carry an Azure code take the
 * gateway's shape, the others OpenAI's.
 */
public final class AzureDialect implements Dialect {
  public static final AzureDialect INSTANCE = new AzureDialect();

  /** Azure's own codes: digits or PascalCase words; OpenAI's are snake_case. */
  private static final Pattern AZURE_CODE = Pattern.compile("[0-9]+|[A-Z][A-Za-z0-9]*");

  private AzureDialect() {}

  /** An error of Azure's gateway, in its shape: {@code code} and {@code message} only. */
  public static ApiError gatewayError(ApiError.Kind kind, int status, String code,
      String message) {
    return new ApiError(kind, status, null, code, null, message);
  }

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public ResponsePlan error(ApiError error) {
    // Azure has no 529: an overloaded deployment answers 503.
    int status = error.status() == 529 ? 503 : error.status();
    byte[] body = gatewayShaped(error) ? gatewayBody(error, status) : OpenAiErrors.body(error);
    return ResponsePlan.of(status, AzureHeaders.plain(), body, 0);
  }

  /** The model service behind the gateway streams; its errors are OpenAI's in-stream ones. */
  @Override
  public byte[] streamError(ApiError error, ApiRequest request, List<Frame> sent) {
    return OpenAiErrors.streamEvent(error, request.path().endsWith("/responses"), sent);
  }

  @Override
  public ApiError invalidJson(String detail) {
    return OpenAiDialect.INSTANCE.invalidJson(detail);
  }

  @Override
  public ApiError unknownPath(ApiRequest request) {
    return gatewayError(ApiError.Kind.NOT_FOUND, 404, "404", "Resource not found");
  }

  @Override
  public ApiError wrongMethod(ApiRequest request) {
    return gatewayError(ApiError.Kind.METHOD_NOT_ALLOWED, 405, "405", "Method not allowed");
  }

  private static boolean gatewayShaped(ApiError error) {
    switch (error.kind()) {
      case AUTHENTICATION:
      case PERMISSION:
      case NOT_FOUND:
      case METHOD_NOT_ALLOWED:
      case RATE_LIMIT:
        return true;
      default:
        return error.type() == null && error.code() != null
            && AZURE_CODE.matcher(error.code()).matches();
    }
  }

  private static byte[] gatewayBody(ApiError error, int status) {
    // The gateway's code is its own: a rate limit is "429" whatever the cause was called.
    String code = error.kind() == ApiError.Kind.RATE_LIMIT
        || error.code() == null || !AZURE_CODE.matcher(error.code()).matches()
        ? Integer.toString(status)
        : error.code();
    return JsonBytes.write((JsonGenerator g) -> {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code);
      g.writeStringField("message", error.message());
      g.writeEndObject();
      g.writeEndObject();
    });
  }
}
