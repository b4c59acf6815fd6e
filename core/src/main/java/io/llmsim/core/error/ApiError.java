package io.llmsim.core.error;

/**
 * A provider-neutral API error: the HTTP status and what the body says. Each dialect renders it in
 * its provider's shape.
 *
 * @param type the provider's error type (OpenAI: {@code invalid_request_error}, ...)
 * @param code a machine-readable code, or null
 * @param param the offending request field, or null
 */
public record ApiError(int status, String type, String code, String param, String message) {
  public static ApiError invalidRequest(String message, String param, String code) {
    return new ApiError(400, "invalid_request_error", code, param, message);
  }

  public static ApiError notFound(String message, String code) {
    return new ApiError(404, "invalid_request_error", code, null, message);
  }
}
