package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.testkit.SchedulingNoise;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timing and lifecycle over real sockets. Tokens are never early and late by at most the measured
 * scheduling slack; other wall-clock bounds are deliberately generous (the exact offsets are
 * proven against a fake clock in the core and plan-writer tests). These prove the server really
 * waits, and really stops gracefully.
 */
class StreamingTimingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A quiet host's allowance: the writer's tick, loopback, and code the JIT has not compiled. */
  private static final long QUIET_LATE_MILLIS = 100;
  private static final String STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();

  private static LlmSimServer start(double ttftMs, double itlMs, int tokens, Duration grace)
      throws Exception {
    return start(ttftMs, itlMs, tokens, grace, Duration.ofSeconds(30));
  }

  private static LlmSimServer start(double ttftMs, double itlMs, int tokens, Duration grace,
      Duration idle) throws Exception {
    ProfileCatalog catalog = ProfileCatalog.builtIn().with(JSON.readTree(
        "{\"profiles\": {\"timed\": {"
            + "\"ttft\": {\"type\": \"constant\", \"value\": " + ttftMs + "},"
            + "\"itl\": {\"type\": \"constant\", \"value\": " + itlMs + "},"
            + "\"output-tokens\": {\"type\": \"constant\", \"value\": " + tokens + "}}}}"));
    return LlmSimServer.start(ServerConfig.defaults().withPort(0)
        .withSynthesis(new SynthesisSettings(catalog, Generators.lorem(), "timed", Speed.NORMAL))
        .withLimits(ServerConfig.DEFAULT_MAX_REQUEST_BYTES, idle, grace));
  }

  @Test
  void tokensArriveNoEarlierThanScheduledAndNotMuchLater() throws Exception {
    try (LlmSimServer server = start(150, 30, 10, Duration.ofSeconds(5));
        RawHttpClient client = new RawHttpClient(server.port())) {
      long sent = System.nanoTime();
      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", STREAM))
          .read();
      // chunk 0 is the role chunk, 1..10 the tokens: the first at 150 ms, then one every 30 ms
      long slack = noise.slackMillis(QUIET_LATE_MILLIS);
      for (int token = 1; token <= 10; token++) {
        long due = 150 + (token - 1) * 30;
        long arrived = TimeUnit.NANOSECONDS.toMillis(r.chunkArrivalNanos().get(token) - sent);
        assertThat(arrived).as("token %d, due at %d ms (%s)", token, due, noise)
            .isBetween(due, due + slack);
      }
    }
  }

  @Test
  void speedHeaderScalesTheWait() throws Exception {
    try (LlmSimServer server = start(2000, 100, 5, Duration.ofSeconds(5));
        RawHttpClient client = new RawHttpClient(server.port())) {
      long sent = System.nanoTime();
      client.send(RawHttpClient.post("/v1/chat/completions", STREAM,
          "x-simulation-mode: synthesize; speed=max")).read();
      // 2.4 s at 1x; "max" has no delays at all.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(1500);
    }
  }

  @Test
  void idleConnectionsAreClosedButSlowStreamsAreNot() throws Exception {
    // Gaps of 600 ms inside a stream are longer than the 300 ms idle timeout.
    try (LlmSimServer server = start(600, 600, 3, Duration.ofSeconds(5), Duration.ofMillis(300));
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", STREAM))
          .read();
      assertThat(r.chunks()).last().isEqualTo("data: [DONE]\n\n");
      long idleSince = System.nanoTime();
      assertThat(client.closedByServer()).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince)).isLessThan(5000);
    }
  }

  @Test
  void gracefulStopLetsAStreamInFlightFinishAndRefusesNewConnections() throws Exception {
    LlmSimServer server = start(100, 50, 20, Duration.ofSeconds(10));
    int port = server.port();
    try (RawHttpClient client = new RawHttpClient(port)) {
      CompletableFuture<RawHttpClient.Response> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return client.send(RawHttpClient.post("/v1/chat/completions", STREAM)).read();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      while (server.inFlight() == 0) {
        Thread.sleep(5);
      }
      server.close();
      assertThat(answer.get(10, TimeUnit.SECONDS).chunks()).last().isEqualTo("data: [DONE]\n\n");
      assertThat(server.inFlight()).isZero();
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
  }

  @Test
  void gracePeriodBoundsHowLongAStopWaits() throws Exception {
    LlmSimServer server = start(100, 1000, 100, Duration.ofMillis(200));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      CompletableFuture<RawHttpClient.Response> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return client.send(RawHttpClient.post("/v1/chat/completions", STREAM)).read();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      while (server.inFlight() == 0) {
        Thread.sleep(5);
      }
      long start = System.nanoTime();
      server.close();
      // The stream has 100 s to go; the stop waits the 200 ms grace, then shuts down.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("%s", noise)
          .isLessThan(200 + noise.slackMillis(4_800));
      // The 100-second stream was cut: the client sees the connection end mid-body.
      assertThat(answer).failsWithin(Duration.ofSeconds(10));
    }
  }
}
