package io.llmsim.proxy.metrics;

import io.llmsim.core.api.Route;
import io.llmsim.core.api.Routed;
import io.llmsim.core.fault.FaultCounter;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.ratelimit.RateLimitDecision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, written as Prometheus text by {@code GET /metrics}. Counting costs a map
 * look-up by route identity and a {@link LongAdder} increment; a counter is allocated only the
 * first time its combination of labels is seen, so the hot path allocates nothing.
 */
public final class ServerMetrics implements WriteTimings {
  public static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Statuses 100 to 599, one slot each, per mode plus "none". */
  private static final int STATUSES = 500;
  private static final int MODES = Mode.values().length + 1;

  private final FaultCounter faults;
  private final IntSupplier inFlight;
  private final Map<Route, Counters> byRoute = new ConcurrentHashMap<>();
  private final Counters unrouted = new Counters("none", "unmatched");
  private final Map<String, LongAdder> limitedRequests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> limitedTokens = new ConcurrentHashMap<>();
  private final LongAdder discardedIncomplete = new LongAdder();
  private final LatencyHistogram firstByte =
      new LatencyHistogram(LatencyHistogram.ANSWER_SECONDS);
  private final LatencyHistogram frameLateness =
      new LatencyHistogram(LatencyHistogram.LATENESS_SECONDS);

  public ServerMetrics(FaultCounter faults, IntSupplier inFlight) {
    this.faults = faults;
    this.inFlight = inFlight;
  }

  /** Whether {@code GET /metrics} is this request. */
  public static boolean isMetricsRequest(String method, String path) {
    return path.equals(PATH) && method.equals("GET");
  }

  /** Counts one answer to a routed request; {@code mode} null when none was involved. */
  public void countAnswer(Routed routed, Mode mode, int status) {
    Counters counters = byRoute.get(routed.route());
    if (counters == null) {
      counters = byRoute.computeIfAbsent(routed.route(),
          r -> new Counters(routed.provider(), routed.endpoint()));
    }
    counters.increment(mode, status);
  }

  /** Counts an answer given before any route was found (an unknown path, a health check). */
  public void countUnrouted(int status) {
    unrouted.increment(null, status);
  }

  /** Counts a request the rate limiter refused. */
  public void countRateLimited(String provider, RateLimitDecision.Exceeded which) {
    Map<String, LongAdder> counts =
        which == RateLimitDecision.Exceeded.REQUESTS ? limitedRequests : limitedTokens;
    LongAdder adder = counts.get(provider);
    if (adder == null) {
      adder = counts.computeIfAbsent(provider, p -> new LongAdder());
    }
    adder.increment();
  }

  /** Counts a recording not stored because it was cut short (and incomplete ones are not kept). */
  public void countDiscardedIncomplete() {
    discardedIncomplete.increment();
  }

  /** Recordings discarded so far because they were cut short. */
  public long discardedIncomplete() {
    return discardedIncomplete.sum();
  }

  @Override
  public void firstByte(long nanos) {
    firstByte.record(nanos);
  }

  @Override
  public void frameLateness(long nanos) {
    frameLateness.record(nanos);
  }

  /** The answers counted so far for a provider, endpoint, mode and status (for tests). */
  public long requests(String provider, String endpoint, Mode mode, int status) {
    for (Counters counters : byRoute.values()) {
      if (counters.provider.equals(provider) && counters.endpoint.equals(endpoint)) {
        return counters.count(mode, status);
      }
    }
    return 0;
  }

  /** The {@code /metrics} answer. */
  public ResponsePlan answer() {
    return ResponsePlan.of(200, List.of(Map.entry("content-type", CONTENT_TYPE)),
        render().getBytes(StandardCharsets.UTF_8), 0);
  }

  /** Every metric in the Prometheus text exposition format, version 0.0.4. */
  public String render() {
    StringBuilder out = new StringBuilder(4096);
    out.append("# HELP llmsim_requests_total Answers sent, by provider, endpoint, mode and"
        + " status.\n# TYPE llmsim_requests_total counter\n");
    for (Counters counters : byRoute.values()) {
      counters.render(out);
    }
    unrouted.render(out);

    out.append("# HELP llmsim_faults_injected_total Faults injected, by kind, provider and"
        + " model.\n# TYPE llmsim_faults_injected_total counter\n");
    faults.snapshot().forEach((key, count) -> {
      out.append("llmsim_faults_injected_total{kind=\"").append(key.kind().token())
          .append("\",provider=\"");
      escape(out, key.provider()).append("\",model=\"");
      escape(out, key.model()).append("\"} ").append(count).append('\n');
    });

    out.append("# HELP llmsim_rate_limited_total Requests the rate limiter refused with 429, by"
        + " provider and the limit exceeded.\n# TYPE llmsim_rate_limited_total counter\n");
    renderLimited(out, limitedRequests, "requests");
    renderLimited(out, limitedTokens, "tokens");

    out.append("# HELP llmsim_incomplete_recordings_discarded_total Recordings not stored"
        + " because the client or the upstream cut them short (see --keep-incomplete).\n"
        + "# TYPE llmsim_incomplete_recordings_discarded_total counter\n")
        .append("llmsim_incomplete_recordings_discarded_total ").append(discardedIncomplete.sum())
        .append('\n');

    out.append("# HELP llmsim_time_to_first_byte_seconds Time from a request's arrival to the"
        + " first byte of its answer.\n# TYPE llmsim_time_to_first_byte_seconds histogram\n");
    firstByte.render(out, "llmsim_time_to_first_byte_seconds");

    out.append("# HELP llmsim_frame_lateness_seconds How late each streamed frame was written"
        + " against its planned time (the timer tick, a busy event loop, a slow reader).\n"
        + "# TYPE llmsim_frame_lateness_seconds histogram\n");
    frameLateness.render(out, "llmsim_frame_lateness_seconds");

    out.append("# HELP llmsim_in_flight_answers Answers being prepared or written right now.\n"
        + "# TYPE llmsim_in_flight_answers gauge\n")
        .append("llmsim_in_flight_answers ").append(inFlight.getAsInt()).append('\n');
    return out.toString();
  }

  private static void renderLimited(StringBuilder out, Map<String, LongAdder> counts,
      String limit) {
    counts.forEach((provider, adder) -> {
      out.append("llmsim_rate_limited_total{provider=\"");
      escape(out, provider).append("\",limit=\"").append(limit).append("\"} ")
          .append(adder.sum()).append('\n');
    });
  }

  /** Label values escaped as the text format wants: backslash, double quote, line feed. */
  static StringBuilder escape(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out;
  }

  /** The counters of one route (or of unrouted answers): one slot per mode and status. */
  private static final class Counters {
    final String provider;
    final String endpoint;
    final AtomicReferenceArray<LongAdder> slots = new AtomicReferenceArray<>(MODES * STATUSES);

    Counters(String provider, String endpoint) {
      this.provider = provider;
      this.endpoint = endpoint;
    }

    void increment(Mode mode, int status) {
      int slot = slot(mode, status);
      LongAdder adder = slots.get(slot);
      if (adder == null) {
        slots.compareAndSet(slot, null, new LongAdder());
        adder = slots.get(slot);
      }
      adder.increment();
    }

    long count(Mode mode, int status) {
      LongAdder adder = slots.get(slot(mode, status));
      return adder == null ? 0 : adder.sum();
    }

    private static int slot(Mode mode, int status) {
      int s = status < 100 || status > 599 ? 500 : status;
      return (mode == null ? 0 : mode.ordinal() + 1) * STATUSES + (s - 100);
    }

    void render(StringBuilder out) {
      for (int slot = 0; slot < slots.length(); slot++) {
        LongAdder adder = slots.get(slot);
        if (adder == null) {
          continue;
        }
        int modeIndex = slot / STATUSES;
        String mode = modeIndex == 0 ? "none" : Mode.values()[modeIndex - 1].token();
        out.append("llmsim_requests_total{provider=\"");
        escape(out, provider).append("\",endpoint=\"");
        escape(out, endpoint).append("\",mode=\"").append(mode).append("\",status=\"")
            .append(slot % STATUSES + 100).append("\"} ").append(adder.sum()).append('\n');
      }
    }
  }
}
