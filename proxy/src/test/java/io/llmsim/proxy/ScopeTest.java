package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.llmsim.core.mode.Mode;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.store.fixtures.ExportFilter;
import io.llmsim.store.fixtures.FixtureSets;
import io.llmsim.store.fixtures.Progress;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code x-llmsim-scope}: recordings made in a scope are replayed in that scope only, carry the
 * tag {@code scope:NAME}, and the header never reaches the provider.
 */
class ScopeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HELLO =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ANSWER = "{\"id\":\"chatcmpl-scoped\",\"object\":\"chat.completion\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"scoped\"},"
      + "\"finish_reason\":\"stop\"}]}";
  private static final String RECORD = "x-simulation-mode: record";
  private static final String REPLAY = "x-simulation-mode: replay; speed=max";

  @TempDir Path storeDir;
  private HttpServer upstream;
  private final List<Map<String, List<String>>> upstreamHeaders = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/chat/completions", exchange -> {
      exchange.getRequestBody().readAllBytes();
      upstreamHeaders.add(new ConcurrentHashMap<>(exchange.getRequestHeaders()));
      byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();
  }

  @AfterEach
  void stopUpstream() {
    upstream.stop(0);
  }

  @Test
  void aScopedRecordingIsReplayedInItsScopeOnlyAndTaggedWithIt() throws Exception {
    try (LlmSimServer server = TestServers.startForwarding(url(), storeDir, s -> s);
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response live = client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          RECORD, "x-llmsim-scope: suite-a/test_1")).read();
      assertThat(live.status()).isEqualTo(200);

      String scoped = Fingerprint.defaults().compute("suite-a/test_1", Recordings.CHAT,
          "gpt-4o", HELLO.getBytes(StandardCharsets.UTF_8));
      RecordedExchange recorded = Recordings.awaitTake(server, scoped);
      assertThat(recorded.tags()).containsExactly("scope:suite-a/test_1");
      assertThat(upstreamHeaders).hasSize(1);
      assertThat(upstreamHeaders.get(0).keySet())
          .noneMatch(name -> name.toLowerCase().startsWith("x-llmsim"));

      RawHttpClient.Response same = client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          REPLAY, "x-llmsim-scope: suite-a/test_1")).read();
      assertThat(same.status()).isEqualTo(200);
      assertThat(same.text()).isEqualTo(ANSWER);

      RawHttpClient.Response otherScope = client.send(RawHttpClient.post(
          "/v1/chat/completions", HELLO, REPLAY, "x-llmsim-scope: suite-b")).read();
      assertThat(otherScope.status()).isEqualTo(404);
      // Another scope's recording could never be served, so it is not offered as near.
      assertThat(otherScope.text()).doesNotContain(recorded.id());
      RawHttpClient.Response noScope = client.send(RawHttpClient.post(
          "/v1/chat/completions", HELLO, REPLAY)).read();
      assertThat(noScope.status()).isEqualTo(404);
    }
    // One suite's recordings export on their own.
    Path suite = storeDir.resolveSibling(storeDir.getFileName() + "-suite-a");
    try (ExchangeStore store = RocksDbExchangeStore.open(storeDir)) {
      FixtureSets.ExportReport report = FixtureSets.export(store, suite, new ExportFilter(
          Set.of("scope:suite-a/test_1"), Set.of(), Set.of(), null), "suite-a", "",
          Progress.NONE);
      assertThat(report.exported()).isEqualTo(1);
    }
    assertThat(FixtureSets.load(suite)).singleElement()
        .satisfies(e -> assertThat(e.tags()).containsExactly("scope:suite-a/test_1"));
  }

  @Test
  void theServersDefaultScopeAppliesToRequestsWithoutTheHeader() throws Exception {
    String scoped = Fingerprint.defaults().compute("nightly", Recordings.CHAT, "gpt-4o",
        HELLO.getBytes(StandardCharsets.UTF_8));
    ServerConfig config = TestServers.forwardingConfig(url(), storeDir, s -> s);
    try (LlmSimServer server = LlmSimServer.start(
            config.withModes(config.modes().withScope("nightly")));
        RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", HELLO, RECORD)).read()
          .status()).isEqualTo(200);
      assertThat(Recordings.awaitTake(server, scoped).tags()).containsExactly("scope:nightly");
    }
    try (LlmSimServer replay = LlmSimServer.start(ServerConfig.defaults().withPort(0)
            .withSynthesis(TestServers.instant()).withMode(Mode.REPLAY)
            .withModes(ModeSettings.DEFAULTS.withStoreDir(storeDir)
                .withReplay(ReplaySettings.DEFAULTS).withScope("nightly")));
        RawHttpClient client = new RawHttpClient(replay.port())) {
      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          REPLAY)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(ANSWER);
    }
  }

  @Test
  void aBadScopeNameIsA400InTheEndpointsErrorShape() throws Exception {
    try (LlmSimServer server = TestServers.startForwarding(url(), storeDir, s -> s);
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          RECORD, "x-llmsim-scope: no spaces!")).read();

      assertThat(r.status()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("invalid_scope");
      assertThat(error.path("message").asText()).contains("x-llmsim-scope", "no spaces!");
      assertThat(upstreamHeaders).isEmpty();
    }
  }

  private String url() {
    return "http://127.0.0.1:" + upstream.getAddress().getPort();
  }
}
