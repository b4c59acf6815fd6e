package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.proxy.TimedUpstream.Event;
import io.llmsim.proxy.TimedUpstream.Script;
import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.proxy.upstream.UpstreamTimeouts;
import io.llmsim.store.RecordedExchange;
import io.llmsim.testkit.SchedulingNoise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idle and total timeouts of a forwarded answer whose head has arrived, over real sockets: the
 * client's connection is cut where the upstream went quiet or ran out of time, and the recording
 * is incomplete. A client that does not read holds the upstream back without it counting as the
 * upstream idling. (The first-byte timeout is in {@link ForwardingErrorsTest}.)
 */
class UpstreamTimeoutsTest {
  /** The room the fixed bound used to leave after the total timeout, on a quiet host. */
  private static final long QUIET_LATE_MILLIS = 1_800;

  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path storeDir;
  private final TimedUpstream upstream = new TimedUpstream();
  private LlmSimServer server;

  UpstreamTimeoutsTest() throws InterruptedException {}

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  private void start(Duration idle, Duration total) throws InterruptedException {
    UpstreamTimeouts timeouts = new UpstreamTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
        idle, total);
    // Incomplete recordings are kept, so the tests can see what a cut left.
    ServerConfig config = TestServers.forwardingConfig(upstream.url(), storeDir, s -> {
      Map<String, Upstream> upstreams = new HashMap<>();
      s.upstreams().forEach((p, u) -> upstreams.put(p, u.withTimeouts(timeouts)));
      return new UpstreamSettings(upstreams, null, false, Map.of(), null);
    });
    server = LlmSimServer.start(config.withModes(config.modes().withKeepIncomplete(true)));
  }

  /** What the client received until llmsim closed the connection, and after how long. */
  private record Cut(String raw, long millis) {}

  private Cut recordUntilClosed() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      long start = System.nanoTime();
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT, "x-simulation-mode: record"));
      String raw = new String(client.readUntilClosed(), StandardCharsets.UTF_8);
      return new Cut(raw, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
  }

  @Test
  void anUpstreamQuietForLongerThanTheIdleTimeoutIsCut() throws Exception {
    start(Duration.ofMillis(300), Duration.ofSeconds(30));
    upstream.script(new Script(200, "text/event-stream", 0, List.of(
        new Event(0, "data: first\n\n"), new Event(3_000, "data: too late\n\n")), -1, false));
    Cut cut = recordUntilClosed();
    assertThat(cut.raw()).startsWith("HTTP/1.1 200").contains("data: first")
        .doesNotContain("too late").doesNotEndWith("0\r\n\r\n");
    assertThat(cut.millis()).isBetween(300L, 2_500L);
    List<RecordedExchange> all = Recordings.awaitStored(server, 1);
    assertThat(all).singleElement().satisfies(e -> {
      assertThat(e.complete()).isFalse();
      assertThat(e.chunks()).hasSize(1);
    });
  }

  @Test
  void anUpstreamStillStreamingAtTheTotalTimeoutIsCut() throws Exception {
    // Never idle (an event every 100 ms), but 4 s of events against a 1.5 s limit. (A limit
    // that passes before a starved host has the upstream's head is a 504, not a cut.)
    start(Duration.ofSeconds(5), Duration.ofMillis(1_500));
    String[] events = new String[40];
    Arrays.fill(events, "data: tick\n\n");
    upstream.script(Script.sse(100, events));
    Cut cut = recordUntilClosed();
    assertThat(cut.raw()).startsWith("HTTP/1.1 200").contains("data: tick")
        .doesNotEndWith("0\r\n\r\n");
    assertThat(cut.millis()).as("%s", noise)
        .isBetween(1_500L, 1_500 + noise.slackMillis(QUIET_LATE_MILLIS));
    List<RecordedExchange> all = Recordings.awaitStored(server, 1);
    assertThat(all).singleElement().satisfies(e -> {
      assertThat(e.complete()).isFalse();
      // Cut with events still to come; how many came first is the host's business (a busy one
      // writes them late), but never more than the upstream wrote.
      assertThat(e.chunks().size()).isBetween(1, upstream.sent.get(0).eventNanos().size())
          .isLessThan(events.length);
    });
  }

  @Test
  void aClientThatDoesNotReadIsNotTheUpstreamIdling() throws Exception {
    // The idle limit is 2 s: on a starved host the upstream itself can be quiet for half a second
    // before the client's backlog holds it back, and that quiet would be real idling.
    start(Duration.ofSeconds(2), Duration.ofSeconds(30));
    String[] events = Script.flood();
    upstream.script(Script.sse(0, events));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough"));
      // 20 MB fill the buffers in well under a second; a busy host may take many.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!upstream.heldBack && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(upstream.heldBack).isTrue();
      Thread.sleep(3_000); // the watchdog wakes in this time, the upstream held back by the client
      assertThat(client.read().text()).isEqualTo(String.join("", events));
    }
  }
}
