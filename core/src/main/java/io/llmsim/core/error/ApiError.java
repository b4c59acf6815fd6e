package io.llmsim.core.error;

import java.util.Objects;

/**
 * A provider-neutral API error: what went wrong ({@link Kind}), the HTTP status, and what the body
 * says. Each dialect renders it in its provider's shape and vocabulary.
 *
 * @param type the provider's own error type when it must differ from the dialect's default for the
 *     kind (OpenAI's 429 {@code tokens} vs {@code requests}, say), or null
 * @param code a machine-readable code, or null
 * @param param the offending request field, or null
 */
public record ApiError(Kind kind, int status, String type, String code, String param,
    String message) {

  /** What went wrong, in words every provider has a name for. */
  public enum Kind {
    INVALID_REQUEST(400),
    AUTHENTICATION(401),
    PERMISSION(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TOO_LARGE(413),
    RATE_LIMIT(429),
    SERVER(500),
    UNAVAILABLE(503),
    OVERLOADED(529);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  public ApiError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** An error with the kind's usual status and the dialect's usual type. */
  public static ApiError of(Kind kind, String message) {
    return new ApiError(kind, kind.status(), null, null, null, message);
  }

  public static ApiError invalidRequest(String message, String param, String code) {
    return new ApiError(Kind.INVALID_REQUEST, 400, null, code, param, message);
  }

  public static ApiError notFound(String message, String code) {
    return new ApiError(Kind.NOT_FOUND, 404, null, code, null, message);
  }

  public ApiError withStatus(int newStatus) {
    return new ApiError(kind, newStatus, type, code, param, message);
  }
}
