package io.llmsim.core.synth;

import io.llmsim.core.fault.Fault;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;

/**
 * Per-request choices from the {@code x-simulation-mode} header: each may be null (then the request
 * body's seed, or the server's setting, applies). {@code fault} is applied by the router to the
 * plan the endpoint built; endpoints ignore it.
 *
 * @param mode the mode the header asked for; null without a header (the server's default applies)
 * @param take which recording of a request replay serves (1-based); null for the next in turn
 * @param onMiss what replay does without a recording ({@code error}, {@code synthesize},
 *     {@code passthrough}, {@code record}); null for the server's setting
 */
public record RequestOptions(String profile, Long seed, Speed speed, Fault fault, Mode mode,
    Integer take, String onMiss) {
  public static final RequestOptions NONE =
      new RequestOptions(null, null, null, null, null, null, null);

  public RequestOptions(String profile, Long seed, Speed speed) {
    this(profile, seed, speed, null, null, null, null);
  }

  public RequestOptions(String profile, Long seed, Speed speed, Fault fault) {
    this(profile, seed, speed, fault, null, null, null);
  }

  /** The same options with another fault (one a config rule chose). */
  public RequestOptions withFault(Fault newFault) {
    return new RequestOptions(profile, seed, speed, newFault, mode, take, onMiss);
  }
}
