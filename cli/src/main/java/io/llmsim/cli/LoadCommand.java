package io.llmsim.cli;

import io.llmsim.load.LoadInterval;
import io.llmsim.load.LoadOptions;
import io.llmsim.load.LoadPattern;
import io.llmsim.load.LoadReport;
import io.llmsim.load.LoadRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code llmsim load}: drives closed-loop traffic at an endpoint (llmsim, a gateway in front of
 * it, any OpenAI-compatible server) in a shaped pattern, and reports time to first token, the
 * gaps between tokens, end-to-end time and errors, as percentiles and per interval.
 */
@Command(
    name = "load",
    sortOptions = false,
    description = {
      "Drive traffic at an http endpoint and report TTFT, inter-token gap and",
      "end-to-end percentiles and errors, and (with --interval, the default for",
      "shaped patterns) one line per interval.",
      "",
      "Each virtual user holds one keep-alive connection and sends its next request",
      "when its answer ends (closed loop). --pattern shapes how many users are",
      "active over the measured time, between --min-concurrency and --concurrency.",
      "The warm-up runs at the pattern's first value; its samples are discarded.",
      "",
      "Example: llmsim load --url http://127.0.0.1:8080/v1/chat/completions \\",
      "           --pattern ramp --concurrency 500 --duration 2m"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the run finished (errors are in the report)",
        "1:the target could not be resolved", "2:usage error"})
final class LoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--url", required = true, paramLabel = "URL",
      description = "The http endpoint, with its path (https is not supported yet).")
  String url;

  @Option(names = "--pattern", paramLabel = "SHAPE", defaultValue = "steady",
      description = "steady, ramp, step, spike, wave or diurnal (default: ${DEFAULT-VALUE}).")
  String pattern;

  @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "10",
      description = "Virtual users at the pattern's peak (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--min-concurrency", paramLabel = "N",
      description = "Users at the pattern's low point (default: a tenth of the peak, at least 1).")
  Integer minConcurrency;

  @Option(names = {"-d", "--duration"}, paramLabel = "D", defaultValue = "30s",
      description = "Measured time (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--warmup", paramLabel = "D", defaultValue = "5s",
      description = "Time before it whose samples are discarded (default: ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--period", paramLabel = "D",
      description = "One cycle of wave or one day of diurnal (default: wave a quarter of the"
          + " duration, diurnal the whole duration).")
  String period;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "4",
      description = "Plateaus of the step pattern (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--interval", paramLabel = "D",
      description = "Report every D of the measured time; 0 for the summary only (default: a"
          + " tenth of the duration for shaped patterns, none for steady).")
  String interval;

  @Option(names = "--stream", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Ask for SSE streams and measure each token event (the default), or not.")
  boolean stream;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "gpt-4o-mini",
      description = "The model of the default chat body (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--body", paramLabel = "JSON", description = "The request body.")
  String body;

  @Option(names = "--body-file", paramLabel = "FILE", description = "The request body, from a file.")
  Path bodyFile;

  @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
      description = "An extra request header; repeatable (an API key for a real gateway, say).")
  List<String> headers = new ArrayList<>();

  @Option(names = "--expect-ttft", paramLabel = "D",
      description = "The TTFT the target should keep: reports each token's lateness against"
          + " request sent + TTFT + k x --expect-itl.")
  String expectTtft;

  @Option(names = "--expect-itl", paramLabel = "D", description = "The expected gap between tokens.")
  String expectItl;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "60s",
      description = "A request not done after this long is a timeout error (default:"
          + " ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
      description = "The driver's event loops (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--json", description = "Print the report as JSON (intervals included).")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    LoadOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    Duration every = reportEvery(options);
    if (!json) {
      out.println("llmsim load: " + options.target() + ", " + options.pattern() + ", "
          + Units.format(options.warmup()) + " warm-up then " + Units.format(options.duration()));
      out.flush();
    }
    LoadReport report;
    try {
      report = new LoadRunner(options).run(every, i -> {
        if (!json) {
          out.println(i.toText(options.streaming()));
          out.flush();
        }
      });
    } catch (UnknownHostException e) {
      throw new CliException("cannot resolve the host of " + url + ": " + e.getMessage(), e);
    }
    out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
    out.flush();
    return 0;
  }

  private LoadOptions options() {
    Duration measured = positive("--duration", duration);
    LoadPattern shape;
    try {
      LoadPattern.Shape named = LoadPattern.Shape.named(pattern);
      int low = minConcurrency != null ? minConcurrency : Math.max(1, concurrency / 10);
      Duration cycle = period != null ? positive("--period", period)
          : named == LoadPattern.Shape.WAVE ? measured.dividedBy(4) : measured;
      shape = named == LoadPattern.Shape.STEADY
          ? LoadPattern.steady(concurrency, measured)
          : new LoadPattern(named, low, concurrency, measured, cycle, steps);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LoadOptions.Builder builder;
    try {
      builder = LoadOptions.builder(url);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--url: " + e.getMessage());
    }
    builder.pattern(shape).duration(measured).warmup(duration("--warmup", warmup))
        .streaming(stream).requestTimeout(positive("--timeout", timeout)).ioThreads(threads)
        .body(body());
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new ParameterException(spec.commandLine(),
            "--header wants 'Name: value', got '" + header + "'");
      }
      builder.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    if (expectTtft != null) {
      builder.expectedSchedule(duration("--expect-ttft", expectTtft),
          expectItl == null ? Duration.ZERO : duration("--expect-itl", expectItl));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private String body() {
    if (body != null && bodyFile != null) {
      throw new ParameterException(spec.commandLine(), "give --body or --body-file, not both");
    }
    if (bodyFile != null) {
      try {
        return Files.readString(bodyFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(),
            "--body-file: cannot read " + bodyFile + ": " + e.getMessage());
      }
    }
    if (body != null) {
      return body;
    }
    return "{\"model\":\"" + model.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":" + stream
        + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  private Duration reportEvery(LoadOptions options) {
    if (interval != null) {
      Duration every = duration("--interval", interval);
      return every.isZero() ? null : every;
    }
    return options.pattern().isSteady() ? null : options.duration().dividedBy(10);
  }

  private Duration duration(String option, String text) {
    try {
      return Units.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  private Duration positive(String option, String text) {
    Duration d = duration(option, text);
    if (d.isZero()) {
      throw new ParameterException(spec.commandLine(), option + ": must be more than 0");
    }
    return d;
  }
}
