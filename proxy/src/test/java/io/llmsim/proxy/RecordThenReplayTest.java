package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.llmsim.core.mode.Mode;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.testkit.SchedulingNoise;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop: record through llmsim from a timed upstream, stop, then replay the store. The
 * client gets the same chunks, with the same boundaries, at about the same offsets.
 */
class RecordThenReplayTest {
  private static final String STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final List<String> EVENTS = List.of(
      "data: {\"id\":\"chatcmpl-up\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
      "data: {\"id\":\"chatcmpl-up\",\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
      "data: [DONE]\n\n");
  private static final long GAP_MILLIS = 200;
  /** A quiet host's allowance: the writer's tick, loopback, and code the JIT has not compiled. */
  private static final long QUIET_LATE_MILLIS = 100;

  @TempDir Path storeDir;
  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();
  private HttpServer upstream;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("content-type", "text/event-stream");
      exchange.getResponseHeaders().add("x-request-id", "req_upstream");
      exchange.sendResponseHeaders(200, 0); // chunked
      try (OutputStream body = exchange.getResponseBody()) {
        for (String event : EVENTS) {
          sleep(GAP_MILLIS);
          body.write(event.getBytes(StandardCharsets.UTF_8));
          body.flush();
        }
      }
    });
    upstream.start();
  }

  @AfterEach
  void stopUpstream() {
    upstream.stop(0);
  }

  @Test
  void replayGivesTheRecordedChunksAtTheRecordedPace() throws Exception {
    String url = "http://127.0.0.1:" + upstream.getAddress().getPort();
    ModeSettings recording = ModeSettings.DEFAULTS.withStoreDir(storeDir).withUpstreams(
        new UpstreamSettings(Map.of("openai", Upstream.of("openai", url)), null, false, Map.of(),
            null));
    RawHttpClient.Response live;
    List<Chunk> recorded;
    try (LlmSimServer server = LlmSimServer.start(ServerConfig.defaults().withPort(0)
            .withSynthesis(TestServers.instant()).withMode(Mode.RECORD).withModes(recording));
        RawHttpClient client = new RawHttpClient(server.port())) {
      live = client.send(RawHttpClient.post("/v1/chat/completions", STREAM)).read();
      assertThat(live.status()).isEqualTo(200);
      String fingerprint = Recordings.fingerprint(Recordings.CHAT, "gpt-4o", STREAM);
      recorded = Recordings.awaitTake(server, fingerprint).chunks();
    }
    assertThat(String.join("", live.chunks())).isEqualTo(String.join("", EVENTS));

    try (LlmSimServer server = TestServers.startReplay(storeDir, ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      long sent = System.nanoTime();
      RawHttpClient.Response replayed =
          client.send(RawHttpClient.post("/v1/chat/completions", STREAM)).read();

      assertThat(replayed.status()).isEqualTo(200);
      assertThat(replayed.headers()).containsEntry("x-request-id", "req_upstream");
      assertThat(replayed.chunkBytes())
          .containsExactlyElementsOf(recorded.stream().map(Chunk::bytes).toList());
      assertThat(replayed.chunks()).containsExactlyElementsOf(live.chunks());
      for (int i = 0; i < recorded.size(); i++) {
        long due = recorded.get(i).offsetMicros() / 1000;
        long arrived = TimeUnit.NANOSECONDS.toMillis(replayed.chunkArrivalNanos().get(i) - sent);
        // Never early (offsets count from the request's arrival), and not much late.
        assertThat(arrived).as("chunk %d, recorded at %d ms (%s)", i, due, noise)
            .isBetween(due, due + noise.slackMillis(QUIET_LATE_MILLIS));
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
