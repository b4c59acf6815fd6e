package io.llmsim.core.fault;

import io.llmsim.core.error.ApiError;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults a request can ask for with {@code fault=<token>} (DESIGN §4). */
public enum FaultKind {
  RATE_LIMIT(ApiError.Kind.RATE_LIMIT),
  SERVER_ERROR(ApiError.Kind.SERVER),
  UNAVAILABLE(ApiError.Kind.UNAVAILABLE),
  OVERLOADED(ApiError.Kind.OVERLOADED),
  AUTH(ApiError.Kind.AUTHENTICATION),
  CONTEXT_LENGTH(ApiError.Kind.INVALID_REQUEST),
  DISCONNECT(null),
  TIMEOUT(null),
  MALFORMED(null),
  SLOW(null),
  STALL(null);

  private final ApiError.Kind errorKind;

  FaultKind(ApiError.Kind errorKind) {
    this.errorKind = errorKind;
  }

  /** The token as written in the header. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the fault is an API error answer (or an in-stream error with {@code after}). */
  public boolean isError() {
    return errorKind != null;
  }

  /** The neutral error kind of an error fault, or null. */
  public ApiError.Kind errorKind() {
    return errorKind;
  }

  /** The kind a token names, or null. */
  public static FaultKind fromToken(String token) {
    for (FaultKind kind : values()) {
      if (kind.token().equals(token)) {
        return kind;
      }
    }
    return null;
  }

  /** Every token, comma-separated, for error messages. */
  public static String tokens() {
    return Arrays.stream(values()).map(FaultKind::token).collect(Collectors.joining(", "));
  }
}
