package io.llmsim.load;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How many virtual users are active at each moment of a run: a shape between {@code min} and
 * {@code max} users over the measured time {@code length}. The warm-up runs at the shape's first
 * value. The users are closed-loop (each sends its next request when its answer ends), so the
 * shape is that of the concurrent requests a gateway sees.
 *
 * <ul>
 *   <li>{@code steady}: {@code max} throughout;
 *   <li>{@code ramp}: from {@code min} up to {@code max}, linearly;
 *   <li>{@code step}: {@code steps} equal plateaus from {@code min} to {@code max};
 *   <li>{@code spike}: {@code min}, then {@code max} for the middle tenth, then {@code min} again;
 *   <li>{@code wave}: a sine between {@code min} and {@code max}, starting at {@code min}, one
 *       cycle per {@code period};
 *   <li>{@code diurnal}: a day of typical traffic (quiet at night, a peak in the afternoon),
 *       compressed into {@code period}.
 * </ul>
 */
public record LoadPattern(Shape shape, int min, int max, Duration length, Duration period,
    int steps) {

  /** The shapes a pattern can take. */
  public enum Shape {
    STEADY, RAMP, STEP, SPIKE, WAVE, DIURNAL;

    /** The shape named (case-insensitively), or an error listing the names. */
    public static Shape named(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown pattern '" + name
            + "'; expected steady, ramp, step, spike, wave or diurnal", e);
      }
    }
  }

  /** Relative load for each hour of a day, peaking at 1 in the afternoon. */
  private static final double[] DAY = {0.25, 0.18, 0.13, 0.10, 0.10, 0.13, 0.22, 0.38, 0.58,
      0.75, 0.86, 0.93, 0.96, 0.97, 1.00, 0.98, 0.93, 0.86, 0.78, 0.70, 0.62, 0.52, 0.42, 0.32};
  private static final double QUIETEST_HOUR = 0.10;

  public LoadPattern {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(period, "period");
    if (max < 1) {
      throw new IllegalArgumentException("the peak concurrency must be at least 1, got " + max);
    }
    if (min < 0 || min > max) {
      throw new IllegalArgumentException(
          "the lowest concurrency must be between 0 and the peak (" + max + "), got " + min);
    }
    if (length.isNegative() || length.isZero() || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("the length and period of a pattern must be positive");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("a step pattern needs at least 1 step, got " + steps);
    }
  }

  /** {@code users} throughout. */
  public static LoadPattern steady(int users, Duration length) {
    return new LoadPattern(Shape.STEADY, users, users, length, length, 1);
  }

  /** True when the number of users never changes. */
  public boolean isSteady() {
    return shape == Shape.STEADY || min == max;
  }

  /** The users active {@code elapsed} after the measured time began (negative: the warm-up). */
  public int usersAt(Duration elapsed) {
    double t = Math.min(1.0, Math.max(0.0, fraction(elapsed, length)));
    double level = switch (shape) {
      case STEADY -> 1.0;
      case RAMP -> t;
      case STEP -> Math.min(steps, Math.floor(t * steps) + 1) / steps;
      case SPIKE -> t >= 0.45 && t < 0.55 ? 1.0 : 0.0;
      case WAVE -> (1 - Math.cos(2 * Math.PI * cycle(elapsed))) / 2;
      case DIURNAL -> day(cycle(elapsed));
    };
    return (int) Math.round(min + (max - min) * level);
  }

  /** Where in its period the pattern is, 0 to 1. */
  private double cycle(Duration elapsed) {
    double c = fraction(elapsed.isNegative() ? Duration.ZERO : elapsed, period);
    return c - Math.floor(c);
  }

  /** The day's level at {@code phase} (0 is midnight), interpolated between the hours. */
  private static double day(double phase) {
    double hour = phase * DAY.length;
    int h = (int) Math.floor(hour) % DAY.length;
    double between = hour - Math.floor(hour);
    double value = DAY[h] + (DAY[(h + 1) % DAY.length] - DAY[h]) * between;
    return (value - QUIETEST_HOUR) / (1.0 - QUIETEST_HOUR); // the quietest hour is min
  }

  private static double fraction(Duration part, Duration whole) {
    return (double) part.toNanos() / whole.toNanos();
  }

  @Override
  public String toString() {
    String name = shape.name().toLowerCase(Locale.ROOT);
    return isSteady() ? name + " " + max + " users"
        : name + " " + min + ".." + max + " users over " + length.toSeconds() + "s"
            + (shape == Shape.WAVE || shape == Shape.DIURNAL
                ? " (period " + period.toSeconds() + "s)" : "")
            + (shape == Shape.STEP ? " (" + steps + " steps)" : "");
  }
}
