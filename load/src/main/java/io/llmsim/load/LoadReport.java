package io.llmsim.load;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a {@link LoadRunner} run: how many requests completed in the measured window,
 * the errors by kind (over the whole run, warmup included, so a failing ramp is not hidden) and
 * latency percentiles in microseconds.
 *
 * @param concurrency connections of the closed loop
 * @param streaming whether responses were parsed as SSE streams
 * @param measured the measured window (after the warmup)
 * @param warmup the discarded warmup
 * @param requests successful requests completed within the measured window
 * @param errors errors by kind, every kind present (zero when none)
 * @param tokenEvents token events that arrived within the measured window
 * @param minTokensPerRequest fewest token events in one counted request (0 when none)
 * @param maxTokensPerRequest most token events in one counted request
 * @param connects connections established, reconnects included
 * @param inFlightAtEnd requests abandoned when the run ended
 * @param responseHeaders request write to response headers
 * @param ttft request write to the first token event
 * @param interTokenGap gap between consecutive token events of a request
 * @param lateness how late token events arrived against the expected schedule (empty if none)
 * @param endToEnd request write to the end of the response
 * @param driverLoopLag how late the driver's event loops ran a 1 ms periodic task: when it is
 *     high, the driver rather than the server is what makes the other measures look slow
 * @param intervals what each reporting interval saw, in order (empty when none were asked for)
 */
public record LoadReport(
    int concurrency,
    boolean streaming,
    Duration measured,
    Duration warmup,
    long requests,
    Map<ErrorKind, Long> errors,
    long tokenEvents,
    long minTokensPerRequest,
    long maxTokensPerRequest,
    long connects,
    long inFlightAtEnd,
    Percentiles responseHeaders,
    Percentiles ttft,
    Percentiles interTokenGap,
    Percentiles lateness,
    Percentiles endToEnd,
    Percentiles driverLoopLag,
    List<LoadInterval> intervals) {

  /** Why a request failed. */
  public enum ErrorKind {
    /** The connection could not be opened. */
    CONNECT,
    /** The response status was not 200. */
    STATUS,
    /** A stream ended (or its connection closed) without {@code data: [DONE]}. */
    INCOMPLETE_STREAM,
    /** The connection closed before the response headers. */
    CONNECTION_CLOSED,
    /** The request did not finish within the request timeout. */
    TIMEOUT,
    /** Any other I/O or protocol error, e.g. an unparseable response. */
    IO
  }

  /**
   * Percentiles of one measure, in microseconds.
   *
   * @param count number of samples
   */
  public record Percentiles(
      long count, long p50, long p90, long p99, long p999, long max, double mean) {

    /** No samples. */
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0, 0);

    /** Reads the percentiles of a histogram of microseconds. */
    public static Percentiles of(Histogram histogram) {
      if (histogram.getTotalCount() == 0) {
        return EMPTY;
      }
      return new Percentiles(histogram.getTotalCount(),
          histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
          histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9),
          histogram.getMaxValue(), histogram.getMean());
    }
  }

  public LoadReport {
    EnumMap<ErrorKind, Long> all = new EnumMap<>(ErrorKind.class);
    for (ErrorKind kind : ErrorKind.values()) {
      all.put(kind, errors == null ? 0L : errors.getOrDefault(kind, 0L));
    }
    errors = Collections.unmodifiableMap(all);
    intervals = List.copyOf(intervals);
  }

  /** Counted requests per second of the measured window. */
  public double requestsPerSecond() {
    return requests / seconds(measured);
  }

  /** Counted token events per second of the measured window. */
  public double tokenEventsPerSecond() {
    return tokenEvents / seconds(measured);
  }

  /** All errors, of every kind. */
  public long totalErrors() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** A human-readable summary with a table of percentiles in milliseconds. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%d connections, %s, %.1f s measured after %.1f s"
        + " warmup%n", concurrency, streaming ? "streaming" : "non-streaming", seconds(measured),
        seconds(warmup)));
    out.append(String.format(Locale.ROOT, "requests       %d (%.1f/s), %d connects, %d in flight"
        + " at end%n", requests, requestsPerSecond(), connects, inFlightAtEnd));
    if (streaming) {
      out.append(String.format(Locale.ROOT, "token events   %d (%.1f/s), %d..%d per request%n",
          tokenEvents, tokenEventsPerSecond(), minTokensPerRequest, maxTokensPerRequest));
    }
    out.append(String.format(Locale.ROOT, "errors         %d", totalErrors()));
    String sep = " (";
    for (Map.Entry<ErrorKind, Long> e : errors.entrySet()) {
      if (e.getValue() > 0) {
        out.append(sep).append(e.getKey().name().toLowerCase(Locale.ROOT)).append(' ')
            .append(e.getValue());
        sep = ", ";
      }
    }
    out.append(sep.equals(", ") ? ")" : "").append(System.lineSeparator());
    out.append(String.format(Locale.ROOT, "%-17s %9s %9s %9s %9s %9s %9s%n", "ms", "count",
        "p50", "p90", "p99", "p99.9", "max"));
    row(out, "response headers", responseHeaders);
    if (streaming) {
      row(out, "ttft", ttft);
      row(out, "inter-token gap", interTokenGap);
      if (lateness.count() > 0) {
        row(out, "token lateness", lateness);
      }
    }
    row(out, "end-to-end", endToEnd);
    row(out, "driver loop lag", driverLoopLag);
    return out.toString();
  }

  /** The report as a JSON object; latencies in microseconds. */
  public String toJson() {
    StringBuilder out = new StringBuilder(1024);
    out.append('{');
    out.append("\"concurrency\":").append(concurrency);
    out.append(",\"streaming\":").append(streaming);
    out.append(",\"measured_s\":").append(number(seconds(measured)));
    out.append(",\"warmup_s\":").append(number(seconds(warmup)));
    out.append(",\"requests\":").append(requests);
    out.append(",\"requests_per_s\":").append(number(requestsPerSecond()));
    out.append(",\"token_events\":").append(tokenEvents);
    out.append(",\"token_events_per_s\":").append(number(tokenEventsPerSecond()));
    out.append(",\"min_tokens_per_request\":").append(minTokensPerRequest);
    out.append(",\"max_tokens_per_request\":").append(maxTokensPerRequest);
    out.append(",\"connects\":").append(connects);
    out.append(",\"in_flight_at_end\":").append(inFlightAtEnd);
    out.append(",\"errors_total\":").append(totalErrors());
    out.append(",\"errors\":{");
    String sep = "";
    for (Map.Entry<ErrorKind, Long> e : errors.entrySet()) {
      out.append(sep).append('"').append(e.getKey().name().toLowerCase(Locale.ROOT))
          .append("\":").append(e.getValue());
      sep = ",";
    }
    out.append('}');
    json(out, "response_headers_us", responseHeaders);
    json(out, "ttft_us", ttft);
    json(out, "inter_token_gap_us", interTokenGap);
    json(out, "lateness_us", lateness);
    json(out, "end_to_end_us", endToEnd);
    json(out, "driver_loop_lag_us", driverLoopLag);
    out.append(",\"intervals\":[");
    for (int i = 0; i < intervals.size(); i++) {
      out.append(i == 0 ? "" : ",").append(intervals.get(i).toJson());
    }
    return out.append("]}").toString();
  }

  private static void row(StringBuilder out, String name, Percentiles p) {
    out.append(String.format(Locale.ROOT, "%-17s %9d %9.3f %9.3f %9.3f %9.3f %9.3f%n", name,
        p.count(), p.p50() / 1e3, p.p90() / 1e3, p.p99() / 1e3, p.p999() / 1e3, p.max() / 1e3));
  }

  private static void json(StringBuilder out, String name, Percentiles p) {
    out.append(",\"").append(name).append("\":{\"count\":").append(p.count())
        .append(",\"p50\":").append(p.p50()).append(",\"p90\":").append(p.p90())
        .append(",\"p99\":").append(p.p99()).append(",\"p99_9\":").append(p.p999())
        .append(",\"max\":").append(p.max()).append(",\"mean\":").append(number(p.mean()))
        .append('}');
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "0";
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
