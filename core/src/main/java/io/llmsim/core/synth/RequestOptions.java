package io.llmsim.core.synth;

import io.llmsim.core.mode.Speed;

/**
 * Per-request choices from the {@code x-simulation-mode} header: each may be null (then the request
 * body's seed, or the server's setting, applies).
 */
public record RequestOptions(String profile, Long seed, Speed speed) {
  public static final RequestOptions NONE = new RequestOptions(null, null, null);
}
