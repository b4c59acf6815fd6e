package io.llmsim.proxy.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed buckets from 5 ms to 60 s: one
 * {@link LongAdder} per bucket, so recording is a short scan and an increment, with no lock and
 * no allocation. Buckets are cumulative only when written out.
 */
final class LatencyHistogram {
  /** Upper bounds in seconds, as Prometheus' default buckets extended to a minute. */
  private static final double[] BOUNDS_SECONDS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

  static {
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  /** One more than the bounds: the last counts what is above every bound. */
  private final LongAdder[] counts = new LongAdder[BOUNDS_NANOS.length + 1];
  private final LongAdder sumNanos = new LongAdder();

  LatencyHistogram() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void record(long nanos) {
    long value = Math.max(0, nanos);
    int i = 0;
    while (i < BOUNDS_NANOS.length && value > BOUNDS_NANOS[i]) {
      i++;
    }
    counts[i].increment();
    sumNanos.add(value);
  }

  void render(StringBuilder out, String name) {
    long cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i].sum();
      String le = i < BOUNDS_SECONDS.length ? format(BOUNDS_SECONDS[i]) : "+Inf";
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
