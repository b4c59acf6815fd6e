package io.llmsim.load;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link LoadRunner} does: a closed loop of {@code concurrency} keep-alive connections to an
 * http target, each sending {@code body} as a POST, reading the full response and sending the next.
 *
 * <p>The run lasts {@code warmup + duration}; samples of events during the warmup are discarded
 * (see {@link LoadRunner} for which event each sample belongs to), so the warmup should cover the
 * connection ramp and be longer than one request. When {@code expectedTtft} is set, token event
 * {@code j} is expected at {@code write time + expectedTtft + j * expectedItl} and its lateness is
 * recorded; a null {@code expectedItl} then means zero. Connections are opened at most {@code connectBatch}
 * per {@code connectInterval}, with at most {@code connectBatch} connects outstanding, so that
 * thousands of connections do not flood the server's accept queue.
 *
 * @param target http URL (host, port, path and query); https is not supported
 * @param body request body, a JSON string sent as UTF-8
 * @param headers extra request headers, in order (they override the defaults)
 * @param concurrency number of connections, each with one request in flight
 * @param duration measured time after the warmup
 * @param warmup time whose samples are discarded, including the connection ramp
 * @param streaming whether responses are SSE streams to be parsed for token events
 * @param expectedTtft expected time to first token for lateness, or null for no lateness
 * @param expectedItl expected gap between token events for lateness, or null for zero
 * @param requestTimeout a request not finished after this long counts as a timeout error
 * @param connectBatch connections opened per {@code connectInterval}
 * @param connectInterval pause between connect batches
 * @param ioThreads event loop threads of the driver (1 leaves the other core to the server)
 * @param pattern how many of the {@code concurrency} users are active over the measured time;
 *     its peak is {@code concurrency}
 */
public record LoadOptions(
    URI target,
    String body,
    Map<String, String> headers,
    int concurrency,
    Duration duration,
    Duration warmup,
    boolean streaming,
    Duration expectedTtft,
    Duration expectedItl,
    Duration requestTimeout,
    int connectBatch,
    Duration connectInterval,
    int ioThreads,
    LoadPattern pattern) {

  /** A small chat completion request, streaming or not. */
  public static String defaultBody(boolean streaming) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
        + "\"stream\":" + streaming + "}";
  }

  public LoadOptions {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(connectInterval, "connectInterval");
    if (!"http".equalsIgnoreCase(target.getScheme())) {
      throw new IllegalArgumentException("only http:// targets are supported: " + target);
    }
    if (target.getHost() == null) {
      throw new IllegalArgumentException("target has no host: " + target);
    }
    headers =
        Collections.unmodifiableMap(new LinkedHashMap<>(headers == null ? Map.of() : headers));
    requirePositive(concurrency, "concurrency");
    if (pattern == null) {
      pattern = LoadPattern.steady(concurrency, duration);
    } else if (pattern.max() != concurrency) {
      throw new IllegalArgumentException("the pattern's peak (" + pattern.max()
          + ") must be the concurrency (" + concurrency + ")");
    }
    requirePositive(connectBatch, "connectBatch");
    requirePositive(ioThreads, "ioThreads");
    requirePositive(duration, "duration");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(connectInterval, "connectInterval");
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
    if (expectedTtft != null && expectedTtft.isNegative()) {
      throw new IllegalArgumentException("expectedTtft must be >= 0, got " + expectedTtft);
    }
    if (expectedItl != null && expectedItl.isNegative()) {
      throw new IllegalArgumentException("expectedItl must be >= 0, got " + expectedItl);
    }
  }

  /** Starts a builder for {@code url} with the defaults listed on {@link Builder}. */
  public static Builder builder(String url) {
    return new Builder(URI.create(url));
  }

  /** The target host, as written in the URL. */
  public String host() {
    return target.getHost();
  }

  /** The target port, 80 when the URL has none. */
  public int port() {
    return target.getPort() == -1 ? 80 : target.getPort();
  }

  /** The request target: path (at least "/") and query. */
  public String pathAndQuery() {
    String path = target.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    return target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
  }

  /** Whether token lateness is measured. */
  public boolean measuresLateness() {
    return streaming && expectedTtft != null;
  }

  private static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  /**
   * Builds {@link LoadOptions}. Defaults: the {@linkplain LoadOptions#defaultBody default body},
   * concurrency 10, 10 s measured after a 2 s warmup, streaming, no lateness, 60 s request timeout,
   * 100 connects per 10 ms, one event loop thread.
   */
  public static final class Builder {
    private final URI target;
    private String body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int concurrency = 10;
    private LoadPattern pattern;
    private Duration duration = Duration.ofSeconds(10);
    private Duration warmup = Duration.ofSeconds(2);
    private boolean streaming = true;
    private Duration expectedTtft;
    private Duration expectedItl;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int connectBatch = 100;
    private Duration connectInterval = Duration.ofMillis(10);
    private int ioThreads = 1;

    private Builder(URI target) {
      this.target = target;
    }

    public Builder body(String body) {
      this.body = body;
      return this;
    }

    /** Adds (or replaces) a request header. */
    public Builder header(String name, String value) {
      headers.put(name.toLowerCase(Locale.ROOT), value);
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder warmup(Duration warmup) {
      this.warmup = warmup;
      return this;
    }

    public Builder streaming(boolean streaming) {
      this.streaming = streaming;
      return this;
    }

    /** The expected schedule for lateness: token j at ttft + j * itl after the write. */
    public Builder expectedSchedule(Duration ttft, Duration itl) {
      this.expectedTtft = ttft;
      this.expectedItl = itl;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Opens at most {@code batch} connections per {@code interval}. */
    public Builder connectRate(int batch, Duration interval) {
      this.connectBatch = batch;
      this.connectInterval = interval;
      return this;
    }

    /** The shape of the load; its peak becomes the concurrency. Default: steady. */
    public Builder pattern(LoadPattern pattern) {
      this.pattern = pattern;
      this.concurrency = pattern.max();
      return this;
    }

    public Builder ioThreads(int ioThreads) {
      this.ioThreads = ioThreads;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(target, body == null ? defaultBody(streaming) : body, headers,
          concurrency, duration, warmup, streaming, expectedTtft, expectedItl, requestTimeout,
          connectBatch, connectInterval, ioThreads, pattern);
    }
  }
}
