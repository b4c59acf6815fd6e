package io.llmsim.core.api;

/** The request body is not the JSON an endpoint needs; the router renders it per dialect. */
public final class InvalidJsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidJsonException(String detail) {
    super(detail, null, false, false);
  }
}
