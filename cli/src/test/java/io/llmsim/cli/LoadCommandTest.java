package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.proxy.LlmSimServer;
import io.llmsim.proxy.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code llmsim load} against a real llmsim server on a loopback port, through picocli. */
class LoadCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LlmSimServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    // The fast profile: streams of tens of milliseconds, so users are really in flight.
    server = LlmSimServer.start(ServerConfig.defaults().withPort(0).withSynthesis(
        new SynthesisSettings(ProfileCatalog.builtIn(), Generators.lorem(), "fast",
            Speed.NORMAL)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private int run(String... args) {
    CommandLine cl = Main.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("load"));
    all.addAll(List.of(args));
    return cl.execute(all.toArray(String[]::new));
  }

  private String url() {
    return server.baseUri().resolve("/v1/chat/completions").toString();
  }

  @Test
  void aStepPatternRaisesTheUsersIntervalByInterval() throws Exception {
    int code = run("--url", url(), "--pattern", "step", "-c", "4", "--min-concurrency", "1",
        "--steps", "4", "-d", "4s", "--warmup", "0s", "--interval", "1s", "--json");
    assertThat(code).as(err.toString()).isZero();
    JsonNode report = JSON.readTree(out.toString());
    assertThat(report.get("errors_total").asLong()).isZero();
    assertThat(report.get("requests").asLong()).isPositive();
    assertThat(report.get("token_events").asLong()).isPositive();
    assertThat(report.get("ttft_us").get("count").asLong()).isPositive();
    List<Integer> users = new ArrayList<>();
    report.get("intervals").forEach(i -> users.add(i.get("users").asInt()));
    // Plateaus of 1.75, 2.5, 3.25 and 4 users, rounded; each interval reports its end. Four
    // seconds, so even a loaded host completes requests in each run.
    assertThat(users).hasSizeBetween(4, 5).isSorted();
    assertThat(users.get(0)).isBetween(2, 3);
    assertThat(users.get(users.size() - 1)).isEqualTo(4);
    long counted = 0;
    for (JsonNode interval : report.get("intervals")) {
      counted += interval.get("requests").asLong();
    }
    assertThat(counted).isEqualTo(report.get("requests").asLong());
    assertThat(report.get("connects").asLong()).isEqualTo(4); // a connection per user, kept
  }

  @Test
  void aSteadyRunPrintsTheTableAndNoIntervals() {
    int code = run("--url", url(), "-c", "3", "-d", "1s", "--warmup", "200ms", "--no-stream");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("steady 3 users").contains("non-streaming")
        .contains("end-to-end").doesNotContain("users     3");
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheProblem() {
    assertThat(run("--url", url(), "--pattern", "zigzag")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown pattern 'zigzag'");
    assertThat(run("--url", "https://example.com/v1/chat/completions")).isEqualTo(2);
    assertThat(err.toString()).contains("only http:// targets");
    assertThat(run("--url", url(), "-c", "4", "--min-concurrency", "9", "--pattern", "ramp"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("lowest concurrency");
    assertThat(run("--url", url(), "-d", "30")).isEqualTo(2);
    assertThat(err.toString()).contains("--duration: a duration needs a unit");
  }
}
