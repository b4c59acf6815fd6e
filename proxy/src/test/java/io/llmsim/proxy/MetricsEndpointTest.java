package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: valid Prometheus text that counts answers and injected faults. */
class MetricsEndpointTest {
  /** A sample line: name, optional labels, a value (the text format, version 0.0.4). */
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""
          + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*)\\})? "
          + "(-?[0-9.]+(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)"); // values as 1.0, 6.07E-4
  private static final Pattern COMMENT =
      Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* "
          + "(counter|gauge|histogram|summary|untyped))");
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** Every sample by its name and labels as written; fails on a line that is not valid text format. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        assertThat(line).as("comment line").matches(COMMENT);
        if (line.startsWith("# TYPE ")) {
          String[] parts = line.split(" ");
          assertThat(types.put(parts[2], parts[3])).as("one TYPE per metric").isNull();
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("sample line '%s'", line).isTrue();
      String family = m.group(1).replaceFirst("_(bucket|sum|count)$", "");
      assertThat(types.containsKey(m.group(1))
          || List.of("histogram", "summary").contains(types.get(family)))
          .as("TYPE before samples of %s", m.group(1)).isTrue();
      String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
      assertThat(samples.put(key, Double.parseDouble(m.group(4)))).as("no duplicate " + key)
          .isNull();
    }
    return samples;
  }

  @Test
  void metricsCountAnswersFaultsAndInFlight() throws IOException, InterruptedException {
    try (LlmSimServer server = TestServers.startInstant();
        RawHttpClient client = new RawHttpClient(server.port())) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT)).read().status())
            .isEqualTo(200);
      }
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: synthesize; fault=server_error")).read().status()).isEqualTo(500);
      assertThat(client.send(RawHttpClient.post("/v1/nothing-here", CHAT)).read().status())
          .isEqualTo(404);

      RawHttpClient.Response metrics = client.send(RawHttpClient.get("/metrics")).read();
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.headers().get("content-type")).startsWith("text/plain; version=0.0.4");
      Map<String, Double> samples = parse(metrics.text());
      // The client library writes labels sorted by name.
      assertThat(samples).containsEntry("llmsim_requests_total{endpoint=\"POST /v1/chat/"
          + "completions\",mode=\"synthesize\",provider=\"openai\",status=\"200\"}", 3.0)
          .containsEntry("llmsim_requests_total{endpoint=\"POST /v1/chat/completions\","
              + "mode=\"synthesize\",provider=\"openai\",status=\"500\"}", 1.0)
          .containsEntry("llmsim_requests_total{endpoint=\"unmatched\",mode=\"none\","
              + "provider=\"none\",status=\"404\"}", 1.0)
          .containsEntry("llmsim_faults_injected_total{kind=\"server_error\","
              + "model=\"gpt-4o-mini\",provider=\"openai\"}", 1.0)
          // The metrics request itself is in flight while it is answered.
          .containsKey("llmsim_in_flight_answers");
      assertThat(samples.get("llmsim_in_flight_answers")).isBetween(0.0, 1.0);
      // Every answer so far got its first byte out: five, each counted in the +Inf bucket.
      assertThat(samples).containsEntry(
          "llmsim_time_to_first_byte_seconds_bucket{le=\"+Inf\"}", 5.0)
          .containsEntry("llmsim_time_to_first_byte_seconds_count", 5.0);
      assertThat(samples.get("llmsim_time_to_first_byte_seconds_bucket{le=\"60.0\"}"))
          .isEqualTo(5.0);
      // /metrics is not a provider path: asking for it counts nothing.
      assertThat(parse(client.send(RawHttpClient.get("/metrics")).read().text()))
          .doesNotContainKey("llmsim_requests_total{endpoint=\"unmatched\",mode=\"none\","
              + "provider=\"none\",status=\"200\"}");
      // Only GET: anything else goes to provider routing as before.
      assertThat(client.send(RawHttpClient.post("/metrics", CHAT)).read().status())
          .isEqualTo(404);
    }
  }

  @Test
  void everyStreamedFrameHasItsLatenessRecorded() throws IOException, InterruptedException {
    String streamed = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (LlmSimServer server = TestServers.startInstant();
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response stream =
          client.send(RawHttpClient.post("/v1/chat/completions", streamed)).read();
      assertThat(stream.status()).isEqualTo(200);
      // One frame per event: the role delta, the tokens, the finish, [DONE].
      int events = stream.text().split("\n\n").length;
      assertThat(events).isGreaterThanOrEqualTo(4);

      Map<String, Double> samples = parse(client.send(RawHttpClient.get("/metrics")).read().text());
      assertThat(samples).containsEntry("llmsim_frame_lateness_seconds_count", (double) events)
          .containsEntry("llmsim_frame_lateness_seconds_bucket{le=\"+Inf\"}", (double) events)
          .containsKey("llmsim_frame_lateness_seconds_bucket{le=\"5.0E-4\"}")
          .containsKey("llmsim_frame_lateness_seconds_sum");
      // Nothing waits on the instant profile, so no frame is anywhere near five seconds late.
      assertThat(samples.get("llmsim_frame_lateness_seconds_bucket{le=\"5.0\"}"))
          .isEqualTo((double) events);
    }
  }

  @Test
  void labelValuesAreEscaped() throws IOException, InterruptedException {
    String oddModel = "{\"model\":\"a\\\"b\\\\c\\nd\",\"max_tokens\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (LlmSimServer server = TestServers.startInstant();
        RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", oddModel,
          "x-simulation-mode: synthesize; fault=server_error")).read();
      // The model a"b\c<LF>d, escaped as the text format wants: \" \\ \n.
      assertThat(parse(server.metrics().render())).containsEntry(
          "llmsim_faults_injected_total{kind=\"server_error\",model=\"a\\\"b\\\\c\\nd\","
              + "provider=\"openai\"}", 1.0);
    }
  }

  @Test
  void openMetricsWhenAskedAndTheJvmsOwnMetrics() throws IOException, InterruptedException {
    try (LlmSimServer server = TestServers.startInstant();
        RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT)).read();
      RawHttpClient.Response open = client.send(RawHttpClient.get("/metrics",
          "accept: application/openmetrics-text; version=1.0.0")).read();
      assertThat(open.headers().get("content-type")).startsWith("application/openmetrics-text");
      assertThat(open.text()).contains("# TYPE llmsim_requests counter").endsWith("# EOF\n");

      Map<String, Double> samples =
          parse(client.send(RawHttpClient.get("/metrics")).read().text());
      assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
          .anyMatch(k -> k.startsWith("jvm_threads_current"));
    }
  }
}
