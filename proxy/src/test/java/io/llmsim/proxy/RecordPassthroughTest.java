package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.proxy.TimedUpstream.Script;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.Redactor;
import io.llmsim.testkit.SchedulingNoise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record and passthrough against a timed SSE upstream over real sockets: bytes and chunk
 * boundaries arrive as the upstream sent them, recordings hold every chunk with its arrival time
 * and nothing secret, cuts on either side are passed on and (with incomplete recordings kept)
 * recorded as incomplete.
 */
class RecordPassthroughTest {
  private static final String KEY = "sk-proj-test-record-passthrough-0123456789";
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String[] EVENTS = {
      "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n",
      "data: {\"choices\":[{\"delta\":{}, \"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}\n\n",
      "data: [DONE]\n\n"};

  /** Under 1 ms on a quiet host once compiled, tens before; the events are 100 ms apart. */
  private static final long QUIET_LATE_MILLIS = 50;

  @TempDir Path storeDir;
  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();
  private TimedUpstream upstream;
  private LlmSimServer server;

  @BeforeEach
  void start() throws Exception {
    upstream = new TimedUpstream();
    // Incomplete recordings are kept, so the tests below can see what a cut left.
    ServerConfig config = TestServers.forwardingConfig(upstream.url(), storeDir, s -> s);
    server = LlmSimServer.start(config.withModes(config.modes().withKeepIncomplete(true)));
  }

  @AfterEach
  void stop() {
    server.close();
    upstream.close();
  }

  private RawHttpClient.Response chat(String mode) throws IOException {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      return client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "Authorization: Bearer " + KEY, "x-simulation-mode: " + mode,
          "x-llmsim-scope: suite-a")).read();
    }
  }

  private List<RecordedExchange> recorded(int expected) throws Exception {
    return Recordings.awaitStored(server, expected);
  }

  @Test
  void passthroughStreamsTheUpstreamBytesChunkByChunkAndStoresNothing() throws Exception {
    upstream.script(Script.sse(100, EVENTS));
    RawHttpClient.Response response = chat("passthrough");

    assertThat(response.status()).isEqualTo(200);
    assertEventsInOrder(response.chunks());
    assertThat(response.headers()).containsEntry("x-request-id", "req_upstream")
        .containsEntry("content-type", "text/event-stream; charset=utf-8");
    // The upstream waits 100 ms between events; llmsim passes each on as it comes: the client
    // never has one before the upstream wrote it, and has it soon after.
    TimedUpstream.Sent log = upstream.sent.get(0);
    long[] arrived = log.completedAt(
        response.chunkBytes().stream().map(b -> b.length).toList(), response.chunkArrivalNanos());
    long slack = noise.slackMillis(QUIET_LATE_MILLIS);
    for (int i = 0; i < arrived.length; i++) {
      assertThat(TimeUnit.NANOSECONDS.toMillis(arrived[i] - log.eventNanos().get(i)))
          .as("event %d's lateness in ms (%s)", i, noise).isBetween(0L, slack);
    }
    TimedUpstream.Received sent = upstream.received.get(0);
    assertThat(sent.uri()).isEqualTo("/v1/chat/completions");
    assertThat(sent.body()).isEqualTo(CHAT);
    assertThat(sent.headers()).containsEntry("authorization", "Bearer " + KEY)
        .containsEntry("host", "127.0.0.1:" + upstream.port())
        .doesNotContainKeys("x-simulation-mode", "x-llmsim-scope");
    assertThat(recorded(0)).isEmpty();
  }

  @Test
  void recordStoresEveryChunkWithItsArrivalTimeAndNoSecrets() throws Exception {
    upstream.script(Script.sse(100, EVENTS));
    RawHttpClient.Response response = chat("record");
    assertEventsInOrder(response.chunks());
    long slackMicros = noise.slackMillis(QUIET_LATE_MILLIS) * 1000;

    List<RecordedExchange> all = recorded(1);
    assertThat(all).hasSize(1);
    RecordedExchange e = all.get(0);
    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.endpoint()).isEqualTo("POST /v1/chat/completions");
    assertThat(e.model()).isEqualTo("gpt-4o");
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.complete()).isTrue();
    assertThat(e.usage()).isEqualTo(new RecordedExchange.TokenUsage(8L, 1L));
    assertEventsInOrder(e.chunks().stream()
        .map(c -> new String(c.bytes(), StandardCharsets.UTF_8)).toList());
    // Offsets count from sending the request upstream, before the upstream saw it, and each
    // chunk is stamped when read, after the upstream wrote it: never earlier than the upstream's
    // own log says, and late only by the hops in between. (Gaps are not compared: one late read
    // makes a gap longer and the next one shorter.)
    TimedUpstream.Sent sent = upstream.sent.get(0);
    long[] recordedMicros = sent.completedAt(
        e.chunks().stream().map(c -> c.bytes().length).toList(),
        e.chunks().stream().map(RecordedExchange.Chunk::offsetMicros).toList());
    for (int i = 0; i < recordedMicros.length; i++) {
      assertThat(recordedMicros[i] - sent.eventMicros(i))
          .as("event %d's lateness in µs (%s)", i, noise).isBetween(0L, slackMicros);
    }
    assertThat(e.timeToHeadersMicros()).isLessThanOrEqualTo(e.chunks().get(0).offsetMicros());
    assertThat(e.request().headers()).contains(new Header("authorization", Redactor.REDACTED))
        .contains(new Header("accept-encoding", "identity"));
    assertThat(e.responseHeaders()).contains(new Header("set-cookie", Redactor.REDACTED));
    assertThat(new String(e.request().body(), StandardCharsets.UTF_8)).isEqualTo(CHAT);
    // The request's x-llmsim-scope is part of its fingerprint, and tags the recording.
    assertThat(e.fingerprint()).isEqualTo(Fingerprint.defaults().compute("suite-a",
        "POST /v1/chat/completions", "gpt-4o", CHAT.getBytes(StandardCharsets.UTF_8)));
    assertThat(e.tags()).containsExactly("scope:suite-a");

    server.close();
    assertThat(filesContaining(storeDir, KEY)).isEmpty();
    assertThat(filesContaining(storeDir, "upstream-secret-cookie")).isEmpty();
  }

  @Test
  void anUpstreamCutReachesTheClientAsACutAndIsRecordedIncomplete() throws Exception {
    upstream.script(Script.sse(20, EVENTS).cutAfter(2));
    upstream.cutGate = new CountDownLatch(1);
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT, "x-simulation-mode: record"));
      assertThat(client.readHead().status()).isEqualTo(200);
      assertThat(readText(client, EVENTS[0].length() + EVENTS[1].length()))
          .isEqualTo(EVENTS[0] + EVENTS[1]);
      upstream.cutGate.countDown();
      String rest = new String(client.readUntilClosed(), StandardCharsets.UTF_8);
      assertThat(rest).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n");
    }
    List<RecordedExchange> all = recorded(1);
    assertThat(all).singleElement().satisfies(e -> {
      assertThat(e.complete()).isFalse();
      assertThat(e.chunks()).hasSize(2);
    });
  }

  @Test
  void anUpstreamResetIsPassedOnAsACutAndRecordedIncomplete() throws Exception {
    upstream.script(Script.sse(20, EVENTS).cutAfter(1).reset());
    upstream.cutGate = new CountDownLatch(1);
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT, "x-simulation-mode: record"));
      assertThat(client.readHead().status()).isEqualTo(200);
      assertThat(readText(client, EVENTS[0].length())).isEqualTo(EVENTS[0]);
      upstream.cutGate.countDown();
      String rest = new String(client.readUntilClosed(), StandardCharsets.UTF_8);
      assertThat(rest).doesNotContain("Hello").doesNotEndWith("0\r\n\r\n");
    }
    assertThat(recorded(1)).singleElement().satisfies(e -> {
      assertThat(e.complete()).isFalse();
      assertThat(e.chunks()).hasSize(1);
    });
  }

  @Test
  void aClientThatGoesAwayStopsTheUpstreamAndTheRecordingIsIncomplete() throws Exception {
    String[] many = new String[50];
    java.util.Arrays.fill(many, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n");
    upstream.script(Script.sse(50, many));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT, "x-simulation-mode: record"));
      // Gone after the first chunk (waiting for it rather than a fixed time: a busy host may not
      // have passed any on yet after 300 ms).
      assertThat(client.readHead().status()).isEqualTo(200);
      assertThat(many[0]).startsWith(client.readChunk());
    }
    assertThat(upstream.abandoned.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(recorded(1)).singleElement().satisfies(e -> {
      assertThat(e.complete()).isFalse();
      assertThat(e.chunks().size()).isBetween(1, 49);
    });
  }

  @Test
  void aClientThatDoesNotReadHoldsTheUpstreamBackInsteadOfFillingMemory() throws Exception {
    String[] events = Script.flood();
    upstream.script(Script.sse(0, events));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough"));
      // 20 MB fill the buffers in well under a second; a busy host may take many.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!upstream.heldBack && System.nanoTime() < deadline) {
        Thread.sleep(20); // not reading: llmsim must stop reading the upstream in turn
      }
      assertThat(upstream.heldBack).isTrue();
      RawHttpClient.Response response = client.read();
      // Every byte, in order. (Under this pressure a 4 KB chunk may arrive over two reads and
      // be passed on as two chunks: llmsim forwards what each read delivers.)
      assertThat(response.text()).isEqualTo(String.join("", events));
    }
  }

  @Test
  void keepAliveConnectionsToTheUpstreamAreReused() throws Exception {
    upstream.script(Script.sse(0, EVENTS));
    // One client connection stays on one event loop, and upstream connections are pooled per loop.
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      for (int i = 0; i < 3; i++) {
        assertEventsInOrder(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
            "x-simulation-mode: passthrough")).read().chunks());
      }
    }
    assertThat(upstream.received).hasSize(3);
    assertThat(upstream.connections.get()).isEqualTo(1);
  }

  @Test
  void theDestinationIsNeverChosenByTheRequest() throws Exception {
    upstream.script(Script.sse(0, EVENTS));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      // An absolute URI naming another host matches no route: no request leaves llmsim.
      RawHttpClient.Response absolute = client.send(RawHttpClient.post(
          "http://169.254.169.254/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough")).read();
      assertThat(absolute.status()).isEqualTo(404);
    }
    assertThat(upstream.received).isEmpty();
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      String request = RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough").replace("Host: localhost", "Host: evil.example");
      assertThat(client.send(request).read().status()).isEqualTo(200);
    }
    // Forwarded, but to the configured upstream, with its own Host.
    assertThat(upstream.received).singleElement().satisfies(r ->
        assertThat(r.headers()).containsEntry("host", "127.0.0.1:" + upstream.port()));
  }

  /**
   * The upstream's events, each ending a chunk: llmsim passes on what each read delivers, which is
   * one event per chunk unless a busy host's read caught one half written (then it is two).
   */
  private static void assertEventsInOrder(List<String> chunks) {
    assertThat(String.join("", chunks)).isEqualTo(String.join("", EVENTS));
    Set<Integer> chunkEnds = new HashSet<>();
    int end = 0;
    for (String chunk : chunks) {
      chunkEnds.add(end += chunk.length());
    }
    end = 0;
    for (String event : EVENTS) {
      assertThat(chunkEnds).as("chunks %s", chunks).contains(end += event.length());
    }
  }

  /** Chunks until {@code length} characters came: llmsim passes on what each read delivers. */
  private static String readText(RawHttpClient client, int length) throws IOException {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      text.append(client.readChunk());
    }
    return text.toString();
  }

  static List<Path> filesContaining(Path dir, String secret) throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> {
        try {
          return indexOf(Files.readAllBytes(f), needle) >= 0;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
