package io.llmsim.core.fault;

import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.mode.SimulationModeException;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fault asked for by the {@code x-simulation-mode} header: {@code fault=<kind>} with
 * {@code fault-rate}, {@code after}, {@code retry-after} and {@code hang}.
 *
 * @param rate probability in [0, 1] that a request gets the fault (default 1)
 * @param after frames of a stream sent before the fault strikes (default 0)
 * @param retryAfterSeconds the delay announced by {@code rate_limit} and {@code overloaded}
 *     (default 1)
 * @param hangMillis how long {@code timeout} and {@code stall} keep quiet, or null for the kind's
 *     default (timeout: {@link #MAX_HANG_MILLIS}; stall: {@link #DEFAULT_STALL_MILLIS})
 */
public record Fault(FaultKind kind, double rate, int after, long retryAfterSeconds,
    Long hangMillis) {
  /** The longest a {@code timeout} hangs: "until the client gives up", bounded. */
  public static final long MAX_HANG_MILLIS = 10 * 60 * 1000L;
  public static final long DEFAULT_STALL_MILLIS = 5_000L;
  /** {@code slow} multiplies every offset (time to first byte and gaps) by this factor. */
  public static final double SLOW_FACTOR = 5.0;

  /**
   * The fault of a parsed header, or null when it names none. Throws
   * {@link SimulationModeException} naming the bad token; the fault's companions
   * ({@code fault-rate}, {@code after}, {@code retry-after}, {@code hang}) without {@code fault}
   * are an error too, since they would silently do nothing.
   */
  public static Fault from(SimulationMode mode) {
    String token = mode.param("fault");
    if (token == null) {
      for (String name : new String[] {"fault-rate", "after", "retry-after", "hang"}) {
        if (mode.param(name) != null) {
          throw new SimulationModeException(
              "x-simulation-mode: parameter '" + name + "' needs a fault=<kind>");
        }
      }
      return null;
    }
    FaultKind kind = FaultKind.fromToken(token.toLowerCase(Locale.ROOT));
    if (kind == null) {
      throw new SimulationModeException(
          "x-simulation-mode: unknown fault '" + token + "'; expected one of "
              + FaultKind.tokens());
    }
    double rate = 1.0;
    String rateText = mode.param("fault-rate");
    if (rateText != null) {
      try {
        rate = Double.parseDouble(rateText);
      } catch (NumberFormatException e) {
        rate = Double.NaN;
      }
      if (!(rate >= 0 && rate <= 1)) {
        throw new SimulationModeException(
            "x-simulation-mode: fault-rate must be a number from 0 to 1; got '" + rateText + "'");
      }
    }
    long after = whole(mode, "after", 0, Integer.MAX_VALUE, 0);
    long retryAfter = whole(mode, "retry-after", 0, 86_400, 1);
    Long hang = mode.param("hang") == null ? null : whole(mode, "hang", 0, MAX_HANG_MILLIS, 0);
    return new Fault(kind, rate, (int) after, retryAfter, hang);
  }

  private static long whole(SimulationMode mode, String name, long min, long max, long dflt) {
    String text = mode.param(name);
    if (text == null) {
      return dflt;
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      value = Long.MIN_VALUE;
    }
    if (value < min || value > max) {
      throw new SimulationModeException(
          "x-simulation-mode: " + name + " must be a whole number from " + min + " to " + max
              + "; got '" + text + "'");
    }
    return value;
  }

  /**
   * Whether this request gets the fault. With a seed the draw is repeatable (the same header
   * always gives the same answer); without one it is random.
   */
  public boolean strikes(Long seed) {
    if (rate >= 1) {
      return true;
    }
    if (rate <= 0) {
      return false;
    }
    double draw = seed == null
        ? ThreadLocalRandom.current().nextDouble()
        // Mixed with a constant so the draw is not the synthesizer's first value for that seed.
        : new SplittableRandom(seed ^ 0x6661756c74L).nextDouble();
    return draw < rate;
  }

  /** How long {@code timeout} hangs, in nanoseconds. */
  public long timeoutNanos() {
    return (hangMillis == null ? MAX_HANG_MILLIS : hangMillis) * 1_000_000L;
  }

  /** How long {@code stall} pauses, in nanoseconds. */
  public long stallNanos() {
    return (hangMillis == null ? DEFAULT_STALL_MILLIS : hangMillis) * 1_000_000L;
  }
}
