package io.llmsim.core.synth;

import io.llmsim.core.fault.Fault;
import io.llmsim.core.mode.Speed;

/**
 * Per-request choices from the {@code x-simulation-mode} header: each may be null (then the request
 * body's seed, or the server's setting, applies). {@code fault} is applied by the router to the
 * plan the endpoint built; endpoints ignore it.
 */
public record RequestOptions(String profile, Long seed, Speed speed, Fault fault) {
  public static final RequestOptions NONE = new RequestOptions(null, null, null, null);

  public RequestOptions(String profile, Long seed, Speed speed) {
    this(profile, seed, speed, null);
  }
}
