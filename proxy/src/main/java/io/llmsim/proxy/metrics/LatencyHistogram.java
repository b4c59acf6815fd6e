package io.llmsim.proxy.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed buckets: one {@link LongAdder} per bucket, so
 * recording is a short scan and an increment, with no lock and no allocation. Buckets are
 * cumulative only when written out.
 */
final class LatencyHistogram {
  /** Upper bounds in seconds for whole answers: Prometheus' default buckets, to a minute. */
  static final double[] ANSWER_SECONDS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  /** Upper bounds in seconds for how late a frame was: from half a millisecond. */
  static final double[] LATENESS_SECONDS =
      {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

  private final double[] boundsSeconds;
  private final long[] boundsNanos;
  /** One more than the bounds: the last counts what is above every bound. */
  private final LongAdder[] counts;
  private final LongAdder sumNanos = new LongAdder();

  LatencyHistogram(double[] boundsSeconds) {
    this.boundsSeconds = boundsSeconds.clone();
    this.boundsNanos = new long[boundsSeconds.length];
    for (int i = 0; i < boundsSeconds.length; i++) {
      boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
    }
    this.counts = new LongAdder[boundsSeconds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void record(long nanos) {
    long value = Math.max(0, nanos);
    int i = 0;
    while (i < boundsNanos.length && value > boundsNanos[i]) {
      i++;
    }
    counts[i].increment();
    sumNanos.add(value);
  }

  void render(StringBuilder out, String name) {
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i].sum();
      String le = i < boundsSeconds.length ? format(boundsSeconds[i]) : "+Inf";
      out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative)
          .append('\n');
    }
    out.append(name).append("_sum ").append(format(sumNanos.sum() / 1e9)).append('\n');
    out.append(name).append("_count ").append(cumulative).append('\n');
  }

  private static String format(double seconds) {
    String text = String.format(Locale.ROOT, "%.9f", seconds).replaceAll("0+$", "");
    return text.endsWith(".") ? text + "0" : text;
  }
}
