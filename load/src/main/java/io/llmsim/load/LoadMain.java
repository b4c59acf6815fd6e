package io.llmsim.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The benchmark scripts' command line around {@link LoadRunner} and {@link TrivialStreamServer}
 * (the floor server, which {@code llmsim load} does not offer); users run {@code llmsim load}.
 * Arguments are {@code --key value} pairs:
 *
 * <pre>
 * --url URL            http target (required unless --trivial-server)
 * --concurrency N      connections (default 10)
 * --duration D         measured time (default 10s)
 * --warmup D           discarded time before it (default 2s)
 * --stream BOOL        SSE streaming (default true)
 * --ttft D --itl D     expected schedule; token lateness is reported when --ttft is given
 * --body JSON | --body-file PATH
 * --header "Name: value"   repeatable
 * --threads N          driver event loop threads (default 1)
 * --timeout D          request timeout (default 60s)
 * --connect-batch N --connect-interval D   connection ramp (default 100 per 10ms)
 * --json BOOL          print the JSON report instead of the table
 * --trivial-server PORT,TTFT_MS,ITL_MS,TOKENS
 *                      run the floor server instead (JSON answers with --stream false) until
 *                      killed or, with --duration, for that long
 * </pre>
 *
 * <p>Durations take a unit (ns, us, ms, s, m, h) or ISO-8601 ({@code PT20S}); a bare number means
 * milliseconds for --ttft, --itl and --connect-interval and seconds otherwise.
 */
public final class LoadMain {
  private static final String USAGE = String.join(System.lineSeparator(),
      "usage: LoadMain --url URL [--concurrency N] [--duration D] [--warmup D] [--stream BOOL]",
      "         [--ttft D --itl D] [--body JSON | --body-file PATH] [--header 'Name: value']...",
      "         [--threads N] [--timeout D] [--connect-batch N --connect-interval D]",
      "         [--json BOOL]",
      "       LoadMain --trivial-server PORT,TTFT_MS,ITL_MS,TOKENS [--stream BOOL]"
          + " [--threads N] [--duration D]",
      "durations: 20ms, 1.5s, 2m or PT20S; bare numbers are ms for --ttft/--itl/"
          + "--connect-interval, s otherwise");

  private LoadMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return;
    }
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("llmsim load: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    String url = null;
    String trivial = null;
    String durationArg = null;
    boolean json = false;
    Boolean stream = null;
    Duration ttft = null;
    Duration itl = null;
    int threads = 1;
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String key = args[i];
      if (!key.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value, got " + key);
      }
      String value = args[i + 1];
      switch (key) {
        case "--url" -> url = value;
        case "--trivial-server" -> trivial = value;
        case "--stream" -> stream = Boolean.parseBoolean(value);
        case "--json" -> json = Boolean.parseBoolean(value);
        case "--ttft" -> ttft = duration(value, true);
        case "--itl" -> itl = duration(value, true);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--duration" -> durationArg = value;
        case "--header" -> {
          int colon = value.indexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("--header wants \"Name: value\", got " + value);
          }
          headers.put(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
        }
        case "--concurrency", "--warmup", "--body", "--body-file", "--timeout",
            "--connect-batch", "--connect-interval" -> values.put(key, value);
        default -> throw new IllegalArgumentException("unknown option " + key);
      }
    }
    boolean streaming = stream == null || stream;
    if (trivial != null) {
      serve(trivial, streaming, threads, durationArg == null ? null : duration(durationArg, false));
      return;
    }
    if (url == null) {
      throw new IllegalArgumentException("--url is required");
    }
    LoadOptions.Builder builder = LoadOptions.builder(url).streaming(streaming).ioThreads(threads)
        .expectedSchedule(ttft, ttft == null ? null : itl);
    headers.forEach(builder::header);
    if (durationArg != null) {
      builder.duration(duration(durationArg, false));
    }
    String v;
    if ((v = values.get("--concurrency")) != null) {
      builder.concurrency(Integer.parseInt(v));
    }
    if ((v = values.get("--warmup")) != null) {
      builder.warmup(duration(v, false));
    }
    if ((v = values.get("--body")) != null) {
      builder.body(v);
    }
    if ((v = values.get("--body-file")) != null) {
      builder.body(read(v));
    }
    if ((v = values.get("--timeout")) != null) {
      builder.requestTimeout(duration(v, false));
    }
    int batch = Integer.parseInt(values.getOrDefault("--connect-batch", "100"));
    Duration interval = duration(values.getOrDefault("--connect-interval", "10"), true);
    builder.connectRate(batch, interval);
    LoadReport report = new LoadRunner(builder.build()).run();
    System.out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
  }

  private static void serve(String spec, boolean streaming, int threads, Duration limit)
      throws InterruptedException {
    String[] parts = spec.split(",");
    if (parts.length != 4) {
      throw new IllegalArgumentException("--trivial-server wants PORT,TTFT_MS,ITL_MS,TOKENS");
    }
    TrivialStreamServer.Config config = new TrivialStreamServer.Config(
        Integer.parseInt(parts[0].trim()), Duration.ofMillis(Long.parseLong(parts[1].trim())),
        Duration.ofMillis(Long.parseLong(parts[2].trim())), Integer.parseInt(parts[3].trim()),
        streaming, threads);
    TrivialStreamServer server = TrivialStreamServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "llmsim-trivial-shutdown"));
    System.out.println("trivial server listening on " + server.url() + " (" + config + ")");
    long end = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0 && !server.closeFuture().isDone()) {
      server.closeFuture().await(Math.min(TimeUnit.NANOSECONDS.toMillis(left), 5_000));
      if (streaming) {
        Histogram late = server.takeWriteLateness();
        System.out.printf(Locale.ROOT, "server: %d token writes, write lateness ms p50 %.3f"
                + " p99 %.3f p99.9 %.3f max %.3f%n", late.getTotalCount(),
            late.getValueAtPercentile(50) / 1e3, late.getValueAtPercentile(99) / 1e3,
            late.getValueAtPercentile(99.9) / 1e3, late.getMaxValue() / 1e3);
      }
    }
    server.close(); // the event loop threads would otherwise keep the JVM alive
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Parses "20ms", "1.5s", "PT20S" or a bare number of milliseconds or seconds. */
  static Duration duration(String text, boolean bareMillis) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      String[] units = {"ns", "us", "ms", "s", "m", "h"};
      long[] nanos = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
          3_600_000_000_000L};
      for (int i = 0; i < units.length; i++) {
        if (t.endsWith(units[i])) {
          double n = Double.parseDouble(t.substring(0, t.length() - units[i].length()).trim());
          return Duration.ofNanos(Math.round(n * nanos[i]));
        }
      }
      double n = Double.parseDouble(t);
      return Duration.ofNanos(Math.round(n * (bareMillis ? 1e6 : 1e9)));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + text, e);
    }
  }
}
