package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.proxy.TimedUpstream.Script;
import io.llmsim.store.RecordedExchange;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that keeps going away mid-stream while recording: by default its cut exchanges are
 * counted and not stored, so it cannot fill the store; {@code keepIncomplete} stores them.
 */
class IncompleteRecordingsTest {
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final int FLAPS = 20;

  @TempDir Path storeDir;
  private final TimedUpstream upstream = new TimedUpstream();
  private LlmSimServer server;

  IncompleteRecordingsTest() throws InterruptedException {}

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  private void start(boolean keepIncomplete) throws InterruptedException {
    ServerConfig config = TestServers.forwardingConfig(upstream.url(), storeDir, s -> s);
    server = LlmSimServer.start(
        config.withModes(config.modes().withKeepIncomplete(keepIncomplete)));
    String[] events = new String[50];
    Arrays.fill(events, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n");
    upstream.script(Script.sse(20, events));
  }

  /** Asks to record, reads the answer's head, and hangs up before the stream ends. */
  private void flap() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: record")).readHead().status()).isEqualTo(200);
    }
  }

  @Test
  void cutRecordingsAreCountedAndNotStoredByDefault() throws Exception {
    start(false);
    for (int i = 0; i < FLAPS; i++) {
      flap();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.metrics().discardedIncomplete() < FLAPS && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.metrics().discardedIncomplete()).isEqualTo(FLAPS);

    // A request that runs to its end is still recorded, and is all the store holds.
    upstream.script(Script.sse(0, "data: {}\n\n", "data: [DONE]\n\n"));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: record")).read().status()).isEqualTo(200);
    }
    List<RecordedExchange> stored = Recordings.awaitStored(server, 1);
    assertThat(stored).singleElement().satisfies(e -> assertThat(e.complete()).isTrue());

    try (RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(client.send(RawHttpClient.get("/metrics")).read().text())
          .contains("llmsim_incomplete_recordings_discarded_total " + FLAPS + ".0\n");
    }
  }

  @Test
  void keepIncompleteStoresEveryCutRecording() throws Exception {
    start(true);
    for (int i = 0; i < 5; i++) {
      flap();
    }
    List<RecordedExchange> stored = Recordings.awaitStored(server, 5);
    assertThat(stored).hasSize(5).allSatisfy(e -> assertThat(e.complete()).isFalse());
    assertThat(server.metrics().discardedIncomplete()).isZero();
  }
}
