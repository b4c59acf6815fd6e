package io.llmsim.cli;

import io.llmsim.store.fixtures.Progress;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * A one-line progress report on stderr ({@code exporting 1200/5000 (24%)}), rewritten in place
 * with {@code \r}, at most ten times a second. Silent unless stderr is a terminal, so logs and CI
 * output stay clean.
 */
final class ProgressLine implements Progress, AutoCloseable {
  private static final long INTERVAL_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final String verb;
  private final boolean enabled;
  private long lastNanos;
  private int lastWidth;

  ProgressLine(PrintWriter err, String verb, boolean enabled) {
    this.err = err;
    this.verb = verb;
    this.enabled = enabled;
  }

  /** A progress line that shows only when the console is an interactive terminal. */
  static ProgressLine forTerminal(PrintWriter err, String verb, Map<String, String> env) {
    return new ProgressLine(err, verb, isTerminal(env));
  }

  @Override
  public void update(long done, long total) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && lastWidth > 0 && now - lastNanos < INTERVAL_NANOS) {
      return;
    }
    lastNanos = now;
    String line = verb + " " + done + "/" + total
        + (total > 0 ? " (" + (done * 100 / total) + "%)" : "");
    err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    err.flush();
    lastWidth = line.length();
  }

  /** Clears the line, so the final counts print on a clean line. */
  @Override
  public void close() {
    if (enabled && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }

  /**
   * Whether the console is a terminal. Java 17 has {@code System.console()}, which is null when
   * input or output is redirected; from Java 22 it is never null and {@code isTerminal()} tells.
   */
  static boolean isTerminal(Map<String, String> env) {
    if ("dumb".equals(env.get("TERM"))) {
      return false;
    }
    Object console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = console.getClass().getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (ReflectiveOperationException olderJdk) {
      return true;
    }
  }
}
