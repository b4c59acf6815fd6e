package io.llmsim.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.proxy.upstream.UpstreamTimeouts;
import io.llmsim.store.RecordedExchange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole (non-streaming) answers and upstream errors, with WireMock as the upstream: status, body
 * and headers reach the client as the provider sent them, and are recorded; failures to reach the
 * upstream or to hear from it in time become errors in the endpoint's own shape.
 */
class ForwardingErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path storeDir;
  private WireMockServer wiremock;
  private LlmSimServer server;

  @BeforeEach
  void start() throws Exception {
    wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
    server = TestServers.startForwarding("http://127.0.0.1:" + wiremock.port(), storeDir,
        s -> s);
  }

  @AfterEach
  void stop() {
    server.close();
    wiremock.stop();
  }

  private RawHttpClient.Response send(LlmSimServer target, String path, String body,
      String... headers) throws Exception {
    try (RawHttpClient client = new RawHttpClient(target.port())) {
      return client.send(RawHttpClient.post(path, body, headers)).read();
    }
  }

  private List<RecordedExchange> recorded(int expected) throws Exception {
    return Recordings.awaitStored(server, expected);
  }

  @Test
  void aWholeAnswerPassesThroughWithItsHeadersAndIsRecorded() throws Exception {
    String body = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}";
    wiremock.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
        .withHeader("content-type", "application/json")
        .withHeader("openai-processing-ms", "321")
        .withHeader("x-ratelimit-remaining-requests", "9999")
        .withHeader("content-length", Integer.toString(body.length()))
        .withBody(body)));

    RawHttpClient.Response response = send(server, "/v1/chat/completions", CHAT,
        "x-simulation-mode: record", "Authorization: Bearer sk-client-key-0123456789abcdef");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo(body);
    assertThat(response.headers()).containsEntry("openai-processing-ms", "321")
        .containsEntry("x-ratelimit-remaining-requests", "9999")
        .containsEntry("content-length", Integer.toString(body.length()));
    assertThat(recorded(1)).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.complete()).isTrue();
      assertThat(e.usage()).isEqualTo(new RecordedExchange.TokenUsage(9L, 3L));
      assertThat(new String(joined(e))).isEqualTo(body);
      assertThat(e.responseHeaders()).anySatisfy(h -> {
        assertThat(h.name()).isEqualToIgnoringCase("content-length");
        assertThat(h.value()).isEqualTo(Integer.toString(body.length()));
      });
    });

    // Replayed from the same server's store: a whole answer again, not a chunked one.
    RawHttpClient.Response replayed = send(server, "/v1/chat/completions", CHAT,
        "x-simulation-mode: replay");
    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.text()).isEqualTo(body);
    assertThat(replayed.headers()).containsEntry("content-length",
        Integer.toString(body.length())).doesNotContainKey("transfer-encoding");
  }

  @Test
  void upstreamErrorsReachTheClientFaithfully() throws Exception {
    String unauthorized = "{\"error\":{\"message\":\"Incorrect API key provided\","
        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
    wiremock.stubFor(post("/v1/chat/completions").withHeader("x-case", equalTo("401"))
        .willReturn(aResponse().withStatus(401).withHeader("content-type", "application/json")
            .withBody(unauthorized)));
    wiremock.stubFor(post("/v1/chat/completions").withHeader("x-case", equalTo("429"))
        .willReturn(aResponse().withStatus(429).withHeader("retry-after", "7")
            .withHeader("x-ratelimit-remaining-requests", "0")
            .withHeader("content-type", "application/json")
            .withBody("{\"error\":{\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
    wiremock.stubFor(post("/v1/chat/completions").withHeader("x-case", equalTo("500"))
        .willReturn(aResponse().withStatus(500).withBody("upstream broke")));

    RawHttpClient.Response r401 = send(server, "/v1/chat/completions", CHAT,
        "x-simulation-mode: passthrough", "x-case: 401");
    assertThat(r401.status()).isEqualTo(401);
    assertThat(r401.text()).isEqualTo(unauthorized);

    RawHttpClient.Response r429 = send(server, "/v1/chat/completions", CHAT,
        "x-simulation-mode: record", "x-case: 429");
    assertThat(r429.status()).isEqualTo(429);
    assertThat(r429.headers()).containsEntry("retry-after", "7")
        .containsEntry("x-ratelimit-remaining-requests", "0");

    RawHttpClient.Response r500 = send(server, "/v1/chat/completions", CHAT,
        "x-simulation-mode: passthrough", "x-case: 500");
    assertThat(r500.status()).isEqualTo(500);
    assertThat(r500.text()).isEqualTo("upstream broke");

    // Errors are recorded as what the provider answered (only the recorded one here).
    assertThat(recorded(1)).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(429));
  }

  @Test
  void anthropicRequestsKeepTheirHeadersAndLoseTheirKey() throws Exception {
    wiremock.stubFor(post("/v1/messages").willReturn(aResponse().withStatus(200)
        .withHeader("content-type", "application/json").withHeader("request-id", "req_a1")
        .withBody("{\"type\":\"message\",\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}")));

    RawHttpClient.Response response = send(server, "/v1/messages", MESSAGES,
        "x-simulation-mode: record", "x-api-key: sk-ant-api03-secretsecretsecret0123",
        "anthropic-version: 2023-06-01", "Connection: keep-alive, x-hop",
        "x-hop: only-for-this-connection");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("request-id", "req_a1");
    wiremock.verify(postRequestedFor(urlEqualTo("/v1/messages"))
        .withHeader("x-api-key", equalTo("sk-ant-api03-secretsecretsecret0123"))
        .withHeader("anthropic-version", equalTo("2023-06-01"))
        .withoutHeader("x-hop")
        .withoutHeader("x-simulation-mode"));
    assertThat(recorded(1)).singleElement().satisfies(e -> {
      assertThat(e.provider()).isEqualTo("anthropic");
      assertThat(e.model()).isEqualTo("claude-sonnet-4-5");
      assertThat(e.request().headers()).contains(
          new RecordedExchange.Header("x-api-key", "[redacted]"));
      assertThat(e.usage()).isEqualTo(new RecordedExchange.TokenUsage(5L, 2L));
    });
  }

  @Test
  void configuredKeysReplaceTheClientsPlaceholder() throws Exception {
    wiremock.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
        .withHeader("content-type", "application/json").withBody("{}")));
    String injected = "sk-injected-from-environment-0123456789";
    try (LlmSimServer injecting = TestServers.startForwarding(
        "http://127.0.0.1:" + wiremock.port(), storeDir.resolve("other"),
        s -> new UpstreamSettings(s.upstreams(), null, true,
            UpstreamSettings.keysFrom(Map.of("OPENAI_API_KEY", injected)), null))) {
      assertThat(send(injecting, "/v1/chat/completions", CHAT, "x-simulation-mode: passthrough",
          "Authorization: Bearer placeholder").status()).isEqualTo(200);
    }
    wiremock.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("authorization", equalTo("Bearer " + injected)));
  }

  @Test
  void anUpstreamThatCannotBeReachedIsA502InTheEndpointsShape() throws Exception {
    try (LlmSimServer nowhere = TestServers.startForwarding("http://127.0.0.1:1",
        storeDir.resolve("other"), s -> s)) {
      RawHttpClient.Response openai = send(nowhere, "/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough");
      assertThat(openai.status()).isEqualTo(502);
      JsonNode error = JSON.readTree(openai.body()).path("error");
      assertThat(error.path("message").asText())
          .contains("could not reach the openai upstream at http://127.0.0.1:1");
      RawHttpClient.Response anthropic = send(nowhere, "/v1/messages", MESSAGES,
          "x-simulation-mode: passthrough", "anthropic-version: 2023-06-01");
      assertThat(anthropic.status()).isEqualTo(502);
      assertThat(JSON.readTree(anthropic.body()).path("type").asText()).isEqualTo("error");
    }
  }

  @Test
  void anUpstreamSlowerThanItsFirstByteTimeoutIsA504() throws Exception {
    wiremock.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
        .withFixedDelay(3_000).withBody("{}")));
    UpstreamTimeouts quick = new UpstreamTimeouts(Duration.ofSeconds(2),
        Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(10));
    try (LlmSimServer impatient = TestServers.startForwarding(
        "http://127.0.0.1:" + wiremock.port(), storeDir.resolve("other"), s -> {
          Map<String, Upstream> upstreams = new HashMap<>();
          s.upstreams().forEach((p, u) -> upstreams.put(p, u.withTimeouts(quick)));
          return new UpstreamSettings(upstreams, null, false, Map.of(), null);
        })) {
      long start = System.nanoTime();
      RawHttpClient.Response response = send(impatient, "/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough");
      assertThat(response.status()).isEqualTo(504);
      assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
          .contains("first-byte timeout");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_500);
    }
  }

  @Test
  void aRequestMayNotChooseAModeTheServerWithholds() throws Exception {
    try (LlmSimServer ci = LlmSimServer.start(ServerConfig.defaults().withPort(0)
        .withSynthesis(TestServers.instant())
        .withModes(ModeSettings.DEFAULTS.withHeaderModes(
            java.util.EnumSet.of(io.llmsim.core.mode.Mode.SYNTHESIZE,
                io.llmsim.core.mode.Mode.REPLAY))))) {
      RawHttpClient.Response response = send(ci, "/v1/chat/completions", CHAT,
          "x-simulation-mode: passthrough");
      assertThat(response.status()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
          .contains("mode 'passthrough' may not be chosen");
    }
  }

  private static byte[] joined(RecordedExchange e) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    e.chunks().forEach(c -> out.writeBytes(c.bytes()));
    return out.toByteArray();
  }
}
