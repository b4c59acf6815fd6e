package io.llmsim.proxy.record;

import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import java.util.regex.Pattern;

/**
 * A named set of recordings, so each test suite (or test) owns its own: a request's
 * {@code x-llmsim-scope} header, else the server's default scope. The scope is part of the
 * fingerprint ({@link Recorder#fingerprint}) and recorded as the tag {@code scope:NAME}, so
 * {@code llmsim fixtures export --tag scope:NAME} exports one suite's recordings.
 */
public final class Scope {
  /** The request header; like every {@code x-llmsim-*} header it never reaches a provider. */
  public static final String HEADER = "x-llmsim-scope";
  /** The tag prefix recordings of a scope carry. */
  public static final String TAG_PREFIX = "scope:";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._/-]{1,128}");

  private Scope() {}

  /** The request's scope: its header, else {@code defaultScope}; null for none. */
  public static String of(Routed routed, String defaultScope) {
    String header = routed.original().header(HEADER);
    return header == null ? defaultScope : header.trim();
  }

  /** Null when {@code name} may name a scope, else why not. */
  public static String problem(String name) {
    if (name == null || NAME.matcher(name).matches()) {
      return null;
    }
    return "scope '" + name + "' is not a valid name; use 1 to 128 of A-Z a-z 0-9 . _ / -";
  }

  /** The 400 a request with a bad {@code x-llmsim-scope} gets, in its endpoint's shape. */
  public static ApiError badHeader(String problem) {
    return new ApiError(ApiError.Kind.INVALID_REQUEST, 400, null, "invalid_scope", HEADER,
        HEADER + ": " + problem);
  }
}
