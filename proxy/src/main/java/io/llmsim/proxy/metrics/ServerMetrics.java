package io.llmsim.proxy.metrics;

import io.llmsim.core.api.Route;
import io.llmsim.core.api.Routed;
import io.llmsim.core.fault.FaultCounter;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.ratelimit.RateLimitDecision;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The server's metrics, kept by the Prometheus Java client and written by {@code GET /metrics} in
 * the format the scraper asks for (Prometheus text 0.0.4, or OpenMetrics when the {@code accept}
 * header names it), together with the JVM's own (memory, GC, threads). Counting an answer costs a
 * look-up by route identity and one counter increment: the client's data point for each label
 * combination is fetched once and kept, so the hot path allocates nothing.
 */
public final class ServerMetrics implements WriteTimings {
  public static final String PATH = "/metrics";
  /** Upper bounds in seconds for whole answers: Prometheus' default buckets, to a minute. */
  static final double[] ANSWER_SECONDS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  /** Upper bounds in seconds for how late a frame was: from half a millisecond. */
  static final double[] LATENESS_SECONDS =
      {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

  /** Statuses 100 to 599, one slot each, per mode plus "none". */
  private static final int STATUSES = 500;
  private static final int MODES = Mode.values().length + 1;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder().name("llmsim_requests_total")
      .help("Answers sent, by provider, endpoint, mode and status.")
      .labelNames("provider", "endpoint", "mode", "status").withoutExemplars().register(registry);
  private final Counter rateLimited = Counter.builder().name("llmsim_rate_limited_total")
      .help("Requests the rate limiter refused with 429, by provider and the limit exceeded.")
      .labelNames("provider", "limit").withoutExemplars().register(registry);
  private final Counter discardedIncomplete = Counter.builder()
      .name("llmsim_incomplete_recordings_discarded_total")
      .help("Recordings not stored because the client or the upstream cut them short (see"
          + " --keep-incomplete).")
      .withoutExemplars().register(registry);
  private final Histogram firstByte = Histogram.builder()
      .name("llmsim_time_to_first_byte_seconds")
      .help("Time from a request's arrival to the first byte of its answer.")
      .classicOnly().classicUpperBounds(ANSWER_SECONDS).withoutExemplars().register(registry);
  private final Histogram frameLateness = Histogram.builder()
      .name("llmsim_frame_lateness_seconds")
      .help("How late each streamed frame was written against its planned time (the timer tick,"
          + " a busy event loop, a slow reader).")
      .classicOnly().classicUpperBounds(LATENESS_SECONDS).withoutExemplars().register(registry);
  private final Map<Route, Counters> byRoute = new ConcurrentHashMap<>();
  private final Counters unrouted = new Counters("none", "unmatched");
  private final Map<String, CounterDataPoint> limitedRequests = new ConcurrentHashMap<>();
  private final Map<String, CounterDataPoint> limitedTokens = new ConcurrentHashMap<>();

  public ServerMetrics(FaultCounter faults, IntSupplier inFlight) {
    CounterWithCallback.builder().name("llmsim_faults_injected_total")
        .help("Faults injected, by kind, provider and model.")
        .labelNames("kind", "provider", "model")
        .callback(callback -> faults.snapshot().forEach((key, count) ->
            callback.call(count, key.kind().token(), key.provider(), key.model())))
        .register(registry);
    GaugeWithCallback.builder().name("llmsim_in_flight_answers")
        .help("Answers being prepared or written right now.")
        .callback(callback -> callback.call(inFlight.getAsInt()))
        .register(registry);
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
    boolean byRequests = which == RateLimitDecision.Exceeded.REQUESTS;
    Map<String, CounterDataPoint> counts = byRequests ? limitedRequests : limitedTokens;
    CounterDataPoint point = counts.get(provider);
    if (point == null) {
      point = counts.computeIfAbsent(provider,
          p -> rateLimited.labelValues(p, byRequests ? "requests" : "tokens"));
    }
    point.inc();
  }

  /** Counts a recording not stored because it was cut short (and incomplete ones are not kept). */
  public void countDiscardedIncomplete() {
    discardedIncomplete.inc();
  }

  /** Recordings discarded so far because they were cut short. */
  public long discardedIncomplete() {
    return discardedIncomplete.getLongValue();
  }

  @Override
  public void firstByte(long nanos) {
    firstByte.observe(Math.max(0, nanos) / 1e9);
  }

  @Override
  public void frameLateness(long nanos) {
    frameLateness.observe(Math.max(0, nanos) / 1e9);
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

  /**
   * The {@code /metrics} answer, in the format {@code accept} (the request's header, or null)
   * asks for: OpenMetrics text when named, else the Prometheus text format.
   */
  public ResponsePlan answer(String accept) {
    ExpositionFormatWriter writer = OPEN_METRICS.accepts(accept) ? OPEN_METRICS : PROMETHEUS_TEXT;
    return ResponsePlan.of(200, List.of(Map.entry("content-type", writer.getContentType())),
        write(writer, EscapingScheme.fromAcceptHeader(accept)), 0);
  }

  /** Every metric in the Prometheus text exposition format, version 0.0.4. */
  public String render() {
    return new String(write(PROMETHEUS_TEXT, EscapingScheme.DEFAULT), StandardCharsets.UTF_8);
  }

  private byte[] write(ExpositionFormatWriter writer, EscapingScheme escaping) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, snapshots(), escaping);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private MetricSnapshots snapshots() {
    List<MetricSnapshot> all = new ArrayList<>();
    registry.scrape().forEach(all::add);
    JvmRegistry.INSTANCE.scrape().forEach(all::add);
    return new MetricSnapshots(all);
  }

  private static final ExpositionFormatWriter PROMETHEUS_TEXT = PrometheusTextFormatWriter.create();
  private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

  /** The JVM's metrics, one set per process however many servers it runs (tests run many). */
  private static final class JvmRegistry {
    static final PrometheusRegistry INSTANCE = new PrometheusRegistry();

    static {
      JvmMetrics.builder().register(INSTANCE);
    }
  }

  /** The counters of one route (or of unrouted answers): one data point per mode and status. */
  private final class Counters {
    final String provider;
    final String endpoint;
    final AtomicReferenceArray<CounterDataPoint> slots =
        new AtomicReferenceArray<>(MODES * STATUSES);

    Counters(String provider, String endpoint) {
      this.provider = provider;
      this.endpoint = endpoint;
    }

    void increment(Mode mode, int status) {
      int slot = slot(mode, status);
      CounterDataPoint point = slots.get(slot);
      if (point == null) {
        slots.compareAndSet(slot, null, requests.labelValues(provider, endpoint,
            mode == null ? "none" : mode.token(), Integer.toString(slot % STATUSES + 100)));
        point = slots.get(slot);
      }
      point.inc();
    }

    long count(Mode mode, int status) {
      CounterDataPoint point = slots.get(slot(mode, status));
      return point == null ? 0 : point.getLongValue();
    }

    private static int slot(Mode mode, int status) {
      int s = status < 100 || status > 599 ? 500 : status;
      return (mode == null ? 0 : mode.ordinal() + 1) * STATUSES + (s - 100);
    }
  }
}
