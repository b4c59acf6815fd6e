package io.llmsim.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Text for the fixtures commands' output: sizes, times, previews, aligned tables. */
final class FixtureText {
  private static final DateTimeFormatter SECONDS =
      new DateTimeFormatterBuilder().appendInstant(0).toFormatter();

  private FixtureText() {}

  /** {@code 512 B}, {@code 1.5 KB}, {@code 2.0 MB} (1 KB = 1024 bytes, as --max-request-size). */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /** A recording time to the second, such as {@code 2025-10-09T08:53:20Z}. */
  static String time(long epochMillis) {
    return SECONDS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Microseconds as milliseconds with three decimals: {@code 180.500}. */
  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
  }

  /**
   * The start of some bytes as one line: line breaks and other control characters escaped
   * ({@code \n}, {@code \x01}), cut with {@code …}; {@code (binary)} when not UTF-8.
   */
  static String preview(byte[] bytes, int max) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    // Malformed input decodes to U+FFFD, so it does not encode back to the same bytes.
    if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
      return "(binary)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String piece;
      if (c == '\n') {
        piece = "\\n";
      } else if (c == '\r') {
        piece = "\\r";
      } else if (c == '\t') {
        piece = "\\t";
      } else if (c < 0x20 || c == 0x7f) {
        piece = String.format(Locale.ROOT, "\\x%02x", (int) c);
      } else {
        piece = String.valueOf(c);
      }
      if (sb.length() + piece.length() > max) {
        return sb.append('…').toString();
      }
      sb.append(piece);
    }
    return sb.toString();
  }

  /** Rows as columns padded to their widest cell, two spaces apart, no trailing spaces. */
  static List<String> table(List<String[]> rows) {
    int columns = rows.isEmpty() ? 0 : rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    List<String> lines = new ArrayList<>(rows.size());
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        sb.append(row[c]);
        if (c < columns - 1) {
          sb.append(" ".repeat(widths[c] - row[c].length() + 2));
        }
      }
      lines.add(sb.toString().stripTrailing());
    }
    return lines;
  }
}
