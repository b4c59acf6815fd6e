package io.llmsim.proxy.replay;

import io.llmsim.core.mode.Speed;
import io.llmsim.store.MatchRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How replay serves recordings.
 *
 * @param speed the default pace (a request's {@code speed=} overrides it)
 * @param onMiss what a request without a recording gets: {@code error}, {@code synthesize},
 *     {@code passthrough} or {@code record}
 * @param strict report unmatched requests and unused recordings (and fail {@code llmsim replay})
 * @param includeIncomplete serve recordings that were cut short (to replay a cut on purpose)
 * @param fixtures fixture sets replay serves instead of the store (which recording still writes)
 * @param match how a request matches a recording when the stored fingerprint is too strict;
 *     null for the stored fingerprint itself (the fast path)
 * @param fixtureCache where the stores built from fixture sets are kept; null for
 *     {@code fixture-cache/} beside the store ({@code ~/.llmsim/fixture-cache} by default)
 */
public record ReplaySettings(Speed speed, String onMiss, boolean strict,
    boolean includeIncomplete, List<Path> fixtures, MatchRule match, Path fixtureCache) {
  public static final ReplaySettings DEFAULTS =
      new ReplaySettings(Speed.NORMAL, "error", false, false, List.of());

  public ReplaySettings {
    Objects.requireNonNull(speed, "speed");
    Objects.requireNonNull(onMiss, "onMiss");
    fixtures = List.copyOf(fixtures);
  }

  /** With the default fixture cache. */
  public ReplaySettings(Speed speed, String onMiss, boolean strict, boolean includeIncomplete,
      List<Path> fixtures, MatchRule match) {
    this(speed, onMiss, strict, includeIncomplete, fixtures, match, null);
  }

  /** Matching by the stored fingerprint. */
  public ReplaySettings(Speed speed, String onMiss, boolean strict, boolean includeIncomplete,
      List<Path> fixtures) {
    this(speed, onMiss, strict, includeIncomplete, fixtures, null);
  }
}
