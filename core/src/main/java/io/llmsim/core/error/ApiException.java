package io.llmsim.core.error;

/** Thrown when a request cannot be answered normally; carries the error to send. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  public static ApiException invalid(String message, String param, String code) {
    return new ApiException(ApiError.invalidRequest(message, param, code));
  }
}
