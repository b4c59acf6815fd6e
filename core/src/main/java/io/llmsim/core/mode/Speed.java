package io.llmsim.core.mode;

/**
 * A playback speed factor: {@code 2}, {@code 2x}, {@code 0.5x}, or {@code max} (no delays at all).
 * Offsets of a plan are divided by the factor.
 */
public record Speed(double factor) {
  public static final Speed NORMAL = new Speed(1.0);
  public static final Speed MAX = new Speed(Double.POSITIVE_INFINITY);
  /**
   * The slowest speed: a 6-second answer then takes 10 minutes, as long as the longest
   * {@code hang}. Slower factors would hold a connection (and a plan) for days.
   */
  public static final double MIN_FACTOR = 0.01;

  public Speed {
    if (!(factor >= MIN_FACTOR)) {
      throw new IllegalArgumentException(
          "speed must be at least " + MIN_FACTOR + "x, got " + factor);
    }
  }

  /** Parses {@code 2}, {@code 2x}, {@code 0.5x} or {@code max}. */
  public static Speed parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("max")) {
      return MAX;
    }
    if (t.endsWith("x")) {
      t = t.substring(0, t.length() - 1);
    }
    double value;
    try {
      value = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "speed must be a positive number, optionally followed by x, or max; got '" + text + "'");
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("speed must be > 0; got '" + text + "'");
    }
    if (value < MIN_FACTOR) {
      throw new IllegalArgumentException("speed must be at least " + MIN_FACTOR
          + "x (slower answers would outlast the longest hang, 10 minutes); got '" + text + "'");
    }
    return new Speed(value);
  }

  /** Scales an offset in nanoseconds. */
  public long scale(long nanos) {
    return factor == Double.POSITIVE_INFINITY ? 0 : Math.round(nanos / factor);
  }

  public boolean isMax() {
    return factor == Double.POSITIVE_INFINITY;
  }

  @Override
  public String toString() {
    return isMax() ? "max" : (factor == Math.rint(factor) ? (long) factor + "x" : factor + "x");
  }
}
