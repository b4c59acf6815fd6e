package io.llmsim.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human forms of sizes ({@code 8MB}) and durations ({@code 30s}) used in config. */
final class Units {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Units() {}

  /**
   * A size in bytes: a plain number of bytes, or a number with a binary unit suffix
   * ({@code 512KB} is 512 × 1024 bytes, like the 8MB default), case-insensitive.
   */
  static int parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size such as 8MB, 512KB or 1048576 (bytes); got '" + text + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    long multiplier = switch (unit.charAt(0)) {
      case 'k' -> 1024L;
      case 'm' -> 1024L * 1024;
      case 'g' -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    double bytes = Double.parseDouble(m.group(1)) * multiplier;
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("must be less than 2GB; got '" + text + "'");
    }
    if (bytes != Math.rint(bytes)) {
      throw new IllegalArgumentException("must be a whole number of bytes; got '" + text + "'");
    }
    return (int) bytes;
  }

  /**
   * A duration: a number with a unit ({@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 2h}),
   * {@code 0}, or ISO-8601 ({@code PT30S}). A bare non-zero number is refused: whether {@code 30}
   * means seconds or milliseconds is a guess that should not be made silently.
   */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.matches("0+(\\.0+)?")) {
      return Duration.ZERO;
    }
    if (t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        if (d.isNegative()) {
          throw new IllegalArgumentException("must not be negative; got '" + text + "'");
        }
        return d;
      } catch (DateTimeParseException e) {
        // Fall through to the common error below.
      }
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      String hint = t.matches("\\d+(\\.\\d+)?") ? "a duration needs a unit (ms, s, m, h), such as "
          + t + "s" : "expected a duration such as 500ms, 30s or 2m";
      throw new IllegalArgumentException(hint + "; got '" + text + "'");
    }
    double value = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> value;
      case "s" -> value * 1_000;
      case "m" -> value * 60_000;
      default -> value * 3_600_000;
    };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** The short form of a duration for help and messages: {@code 30s}, {@code 500ms}, {@code 2m}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
  }
}
