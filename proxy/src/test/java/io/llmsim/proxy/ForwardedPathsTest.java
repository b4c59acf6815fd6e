package io.llmsim.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.llmsim.store.RecordedExchange;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client's request-target never chooses where a forwarded request goes: with an upstream that
 * has a path prefix and a second server standing for an attacker's, a plain path goes under the
 * prefix (and is recorded without it), and every target that could name another host or climb
 * out of the prefix is answered in the endpoint's error shape with nothing sent to either server.
 */
class ForwardedPathsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String GEMINI = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}";
  private static final String ANSWER = "{\"id\":\"from-the-gateway\"}";

  @TempDir Path storeDir;
  private WireMockServer gateway;
  private WireMockServer attacker;
  private LlmSimServer server;

  @BeforeEach
  void start() throws Exception {
    gateway = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    attacker = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    gateway.start();
    attacker.start();
    for (WireMockServer s : List.of(gateway, attacker)) {
      s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
          .withHeader("content-type", "application/json")
          .withHeader("content-length", Integer.toString(ANSWER.length())).withBody(ANSWER)));
    }
    server = TestServers.startForwarding(
        "http://127.0.0.1:" + gateway.port() + "/gateway", storeDir, s -> s);
  }

  @AfterEach
  void stop() {
    server.close();
    gateway.stop();
    attacker.stop();
  }

  @Test
  void plainPathsGoUnderTheUpstreamsPrefixAndAreRecordedWithoutIt() throws Exception {
    HttpResponse<String> chat = post("/v1/chat/completions", CHAT, "record");
    HttpResponse<String> gemini = post(
        "/v1beta/models/gemini-2.0-flash:generateContent?alt=sse", GEMINI, "passthrough");

    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).isEqualTo(ANSWER);
    assertThat(gemini.statusCode()).isEqualTo(200);
    assertThat(served(gateway)).containsExactlyInAnyOrder("POST /gateway/v1/chat/completions",
        "POST /gateway/v1beta/models/gemini-2.0-flash:generateContent?alt=sse");
    // The provider's path: a drift check joins it to whichever upstream it is given.
    RecordedExchange recorded = Recordings.awaitStored(server, 1).get(0);
    assertThat(recorded.request().path()).isEqualTo("/v1/chat/completions");
    assertThat(served(attacker)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // Routed to an endpoint, so only the forwarder's rule stops them: 400.
      "GET  | /v1/models/..                                 | 400",
      "GET  | /v1/models/%2e%2e                             | 400",
      "GET  | /v1/models/%252e%252e                         | 400",
      "GET  | /v1/models/..%2F..%2F..%2Fadmin               | 400",
      "GET  | /v1/models/%2F%2F127.0.0.1:ATTACKER%2Fstolen  | 400",
      "GET  | /v1/models/x\\..\\..\\admin                   | 400",
      "GET  | /v1/models/x%5C..%5Cadmin                     | 400",
      "GET  | /v1/models/x%0D%0AHost:127.0.0.1:ATTACKER     | 400",
      "GET  | /anthropic/v1/models/%2e%2e                   | 400",
      "POST | /v1beta/models/..%2F..%2Fstolen:generateContent | 400",
      // Matching no route: the endpoint's 404, as before.
      "GET  | @127.0.0.1:ATTACKER/stolen                    | 404",
      "GET  | http://127.0.0.1:ATTACKER/v1/models/gpt-4o    | 404",
      "GET  | //127.0.0.1:ATTACKER/v1/models/gpt-4o         | 404",
      "GET  | /openai//127.0.0.1:ATTACKER/v1/models         | 404",
  })
  void targetsThatCouldLeaveTheUpstreamAreRefusedAndNothingIsSent(String method, String target,
      int status) throws Exception {
    String resolved = target.replace("ATTACKER", Integer.toString(attacker.port()));
    String credential = "Authorization: Bearer sk-client-key-0123456789abcdef";
    // Anthropic's models endpoint wants its version header; the others ignore it.
    String request = method.equals("GET")
        ? RawHttpClient.get(resolved, "x-simulation-mode: passthrough", credential,
            "anthropic-version: 2023-06-01")
        : RawHttpClient.post(resolved, GEMINI, "x-simulation-mode: record", credential);

    RawHttpClient.Response response = send(request);

    assertThat(response.status()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("message").asText()).isNotEmpty();
    if (status == 400) {
      assertThat(error.path("message").asText())
          .startsWith("llmsim does not forward this request: the path '")
          .contains("cannot be sent to an upstream");
    }
    assertThat(served(gateway)).isEmpty();
    assertThat(served(attacker)).isEmpty();
  }

  private static List<String> served(WireMockServer s) {
    return s.getAllServeEvents().stream().map(ServeEvent::getRequest)
        .map(r -> r.getMethod() + " " + r.getUrl()).toList();
  }

  /** Through the JDK's client: the first answer from a cold upstream may take a while. */
  private HttpResponse<String> post(String path, String body, String mode) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.baseUri().resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json").header("x-simulation-mode", mode)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private RawHttpClient.Response send(String request) throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      return client.send(request).read();
    }
  }
}
