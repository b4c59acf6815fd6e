package io.llmsim.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.llmsim.core.mode.Mode;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code header-modes} holds for every way a header names a mode: replay's {@code on-miss} may
 * fall back only to a mode the header could have chosen itself. WireMock is the upstream, so a
 * request that slipped through would be seen there.
 */
class HeaderModesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path storeDir;
  private WireMockServer wiremock;
  private LlmSimServer server;

  @BeforeEach
  void startUpstream() {
    wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
    wiremock.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)
        .withHeader("content-type", "application/json")
        .withBody("{\"id\":\"chatcmpl-upstream\",\"object\":\"chat.completion\",\"choices\":[]}")));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    wiremock.stop();
  }

  private void start(Set<Mode> headerModes) throws InterruptedException {
    ServerConfig config = TestServers.forwardingConfig(
        "http://127.0.0.1:" + wiremock.port(), storeDir, s -> s);
    server = LlmSimServer.start(config.withModes(config.modes().withHeaderModes(headerModes)));
  }

  private RawHttpClient.Response send(String path, String body, String mode) throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      return client.send(RawHttpClient.post(path, body, "x-simulation-mode: " + mode)).read();
    }
  }

  @Test
  void onMissCannotReachAWithheldMode() throws Exception {
    start(EnumSet.of(Mode.SYNTHESIZE, Mode.REPLAY));
    for (String onMiss : new String[] {"passthrough", "record"}) {
      RawHttpClient.Response response =
          send("/v1/chat/completions", CHAT, "replay; on-miss=" + onMiss);
      assertThat(response.status()).as(onMiss).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertThat(error.path("message").asText()).as(onMiss)
          .startsWith("x-simulation-mode: on-miss '" + onMiss + "' may not be chosen")
          .contains("allowed modes: synthesize, replay");
      assertThat(error.path("param").asText()).isEqualTo("x-simulation-mode");
    }
    wiremock.verify(0, anyRequestedFor(anyUrl()));
    assertThat(Recordings.awaitStored(server, 0)).isEmpty();

    // A mode the header may choose is still a fine fallback.
    assertThat(send("/v1/chat/completions", CHAT, "replay; on-miss=synthesize").status())
        .isEqualTo(200);
  }

  @Test
  void theRefusalIsInTheEndpointsOwnShape() throws Exception {
    start(EnumSet.of(Mode.SYNTHESIZE, Mode.REPLAY));
    RawHttpClient.Response response =
        send("/v1/messages", MESSAGES, "replay; on-miss=passthrough");
    assertThat(response.status()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").path("message").asText()).contains("on-miss 'passthrough'");
    wiremock.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void onMissSynthesizeNeedsSynthesizeToo() throws Exception {
    start(EnumSet.of(Mode.REPLAY));
    RawHttpClient.Response response =
        send("/v1/chat/completions", CHAT, "replay; on-miss=synthesize");
    assertThat(response.status()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
        .contains("on-miss 'synthesize' may not be chosen").contains("allowed modes: replay");
    // on-miss=error names no mode: the miss report, as without on-miss.
    assertThat(send("/v1/chat/completions", CHAT, "replay; on-miss=error").status())
        .isEqualTo(404);
  }

  @Test
  void whereTheModeIsAllowedOnMissStillForwardsAndRecords() throws Exception {
    start(EnumSet.allOf(Mode.class));
    assertThat(send("/v1/chat/completions", CHAT, "replay; on-miss=record").status())
        .isEqualTo(200);
    wiremock.verify(1, anyRequestedFor(anyUrl()));
    assertThat(Recordings.awaitStored(server, 1)).hasSize(1);
  }
}
