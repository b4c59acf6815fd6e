package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of HTTP and of the request parsers, over raw sockets: every refusal comes in the shape
 * of the provider the path names, versions other than HTTP/1.x are refused, {@code /health} only
 * answers reads, and values the real APIs refuse are refused.
 */
class ProtocolEdgesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANTHROPIC = "/v1/messages";
  private static final String GEMINI = "/v1beta/models/gemini-2.0-flash:generateContent";
  private static final String ANTHROPIC_VERSION = "anthropic-version: 2023-06-01";
  private static LlmSimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = LlmSimServer.start(
        ServerConfig.defaults().withPort(0).withSynthesis(TestServers.instant())
            .withLimits(64 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawHttpClient client() throws Exception {
    return new RawHttpClient(server.port());
  }

  private static JsonNode json(RawHttpClient.Response response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** Anthropic's error envelope: {@code {"type":"error","error":{"type":...,"message":...}}}. */
  private static void assertAnthropicError(RawHttpClient.Response r, int status) throws Exception {
    assertThat(r.status()).isEqualTo(status);
    JsonNode body = json(r);
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  /** Google's: {@code {"error":{"code":400,"message":...,"status":"INVALID_ARGUMENT"}}}. */
  private static void assertGeminiError(RawHttpClient.Response r, int status) throws Exception {
    assertThat(r.status()).isEqualTo(status);
    JsonNode error = json(r).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("status").asText()).isNotEmpty();
    assertThat(error.has("type")).as("no OpenAI keys").isFalse();
  }

  @Test
  void undecodableHttpIsRefusedInTheShapeOfTheProviderThePathNames() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r =
          c.send("POST " + ANTHROPIC + " HTTP/1.1\r\nHost: x\r\nNot A Header\r\n\r\n").read();
      assertAnthropicError(r, 400);
      assertThat(c.closedByServer()).isTrue();
    }
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r =
          c.send("POST " + GEMINI + " HTTP/1.1\r\nHost: x\r\nNot A Header\r\n\r\n").read();
      assertGeminiError(r, 400);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void oversizedHeadersAre431InTheShapeOfTheProviderThePathNames() throws Exception {
    String huge = "x-huge: " + "a".repeat(ServerInitializer.MAX_HEADER_BYTES + 1);
    try (RawHttpClient c = client()) {
      assertAnthropicError(c.send(RawHttpClient.post(ANTHROPIC, "{}", huge)).read(), 431);
    }
    try (RawHttpClient c = client()) {
      assertGeminiError(c.send(RawHttpClient.post(GEMINI, "{}", huge)).read(), 431);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai-chat", "openai-responses", "anthropic", "gemini"})
  void dataAfterTheJsonBodyIsRefusedOnEveryEndpoint(String endpoint) throws Exception {
    String trailing = " {\"model\":\"x\"}";
    try (RawHttpClient c = client()) {
      switch (endpoint) {
        case "openai-chat" -> {
          RawHttpClient.Response r = c.send(RawHttpClient.post("/v1/chat/completions",
              "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                  + trailing)).read();
          assertThat(r.status()).isEqualTo(400);
          assertThat(json(r).path("error").path("message").asText())
              .contains("unexpected data after the JSON value");
        }
        case "openai-responses" -> {
          RawHttpClient.Response r = c.send(RawHttpClient.post("/v1/responses",
              "{\"model\":\"gpt-4o\",\"input\":\"hi\"}" + trailing)).read();
          assertThat(r.status()).isEqualTo(400);
          assertThat(json(r).path("error").path("type").asText())
              .isEqualTo("invalid_request_error");
        }
        case "anthropic" -> assertAnthropicError(c.send(RawHttpClient.post(ANTHROPIC,
            "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" + trailing,
            ANTHROPIC_VERSION)).read(), 400);
        case "gemini" -> assertGeminiError(c.send(RawHttpClient.post(GEMINI,
            "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}" + trailing)).read(), 400);
        default -> throw new IllegalArgumentException(endpoint);
      }
    }
  }

  @Test
  void healthAnswersGetAndHeadOnly() throws Exception {
    try (RawHttpClient c = client()) {
      assertThat(c.send(RawHttpClient.get("/health")).read().status()).isEqualTo(200);
      assertThat(c.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n").readHead().status())
          .isEqualTo(200);
      for (String method : new String[] {"TRACE", "get", "POST", "DELETE"}) {
        RawHttpClient.Response r =
            c.send(method + " /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
        assertThat(r.status()).as(method).isEqualTo(405);
        assertThat(json(r).path("error").path("message").asText()).contains(method + " /health");
      }
      // Still usable afterwards.
      assertThat(c.send(RawHttpClient.get("/health")).read().status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @CsvSource({"HTTP/3.0", "HTTP/2.0", "HTTP/0.9"})
  void versionsOtherThanHttp1AreRefusedWith505AndClosed(String version) throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send("GET /health " + version + "\r\nHost: x\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(505);
      assertThat(r.headers().get("connection")).isEqualTo("close");
      assertThat(json(r).path("error").path("message").asText()).contains(version);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void anHttp2PrefaceIsAProtocolErrorAndTheConnectionCloses() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(505);
      assertThat(json(r).path("error").path("message").asText()).contains("HTTP/2");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aClientClosingMidRequestIsNotAWarning() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (boolean reset : new boolean[] {false, true}) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
          socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
              + "Content-Length: 1000\r\n\r\n{\"model\":").getBytes(StandardCharsets.UTF_8));
          socket.getOutputStream().flush();
          TimeUnit.MILLISECONDS.sleep(100); // the server has read the start
          if (reset) {
            socket.setSoLinger(true, 0);
          }
        }
      }
      // The server answers on after both: by then it has handled both closes.
      try (RawHttpClient c = client()) {
        assertThat(c.send(RawHttpClient.get("/health")).read().status()).isEqualTo(200);
      }
      TimeUnit.MILLISECONDS.sleep(300);
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("WARN")
        .doesNotContain("Exception");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[{\"type\":\"nope\"}]|\"stop\":null|messages[0].content[0].type|invalid_value",
      "\"hi\"|\"stop\":[1,2]|stop[0]|invalid_type",
      "\"hi\"|\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]|stop|array_above_max_length",
      "\"hi\"|\"logit_bias\":{\"50256\":101}|logit_bias.50256|decimal_above_max_value",
      "\"hi\"|\"logit_bias\":{\"50256\":-100.5}|logit_bias.50256|decimal_below_min_value",
      "\"hi\"|\"logit_bias\":[1]|logit_bias|invalid_type"})
  void chatValuesTheApiRefusesAreRefused(String content, String field, String param, String code)
      throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":" + content
        + "}]," + field + "}";
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post("/v1/chat/completions", body)).read();
      assertThat(r.status()).as(body).isEqualTo(400);
      JsonNode error = json(r).path("error");
      assertThat(error.path("param").asText()).isEqualTo(param);
      assertThat(error.path("code").asText()).isEqualTo(code);
    }
  }

  @Test
  void chatValuesWithinTheLimitsAreAccepted() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"max_tokens\":2,\"stop\":[\"a\",\"b\"],"
        + "\"logit_bias\":{\"50256\":-100,\"1\":100},\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}";
    try (RawHttpClient c = client()) {
      assertThat(c.send(RawHttpClient.post("/v1/chat/completions", body)).read().status())
          .isEqualTo(200);
    }
  }

  @Test
  void otherEndpointsRefuseTheSameConcepts() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post("/v1/completions",
          "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"hi\",\"stop\":[1],"
              + "\"logit_bias\":{\"1\":0}}")).read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(json(r).path("error").path("param").asText()).isEqualTo("stop[0]");

      r = c.send(RawHttpClient.post("/v1/completions",
          "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"hi\",\"logit_bias\":{\"1\":150}}"))
          .read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(json(r).path("error").path("param").asText()).isEqualTo("logit_bias.1");

      r = c.send(RawHttpClient.post("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":[{\"role\":"
          + "\"user\",\"content\":[{\"type\":\"nope\"}]}]}")).read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(json(r).path("error").path("param").asText())
          .isEqualTo("input[0].content[0].type");

      r = c.send(RawHttpClient.post(ANTHROPIC, "{\"model\":\"claude-3-5-haiku-latest\","
          + "\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"nope\"}]}]}",
          ANTHROPIC_VERSION)).read();
      assertAnthropicError(r, 400);
      assertThat(json(r).path("error").path("message").asText())
          .startsWith("messages.0.content.0: Input tag 'nope'");

      r = c.send(RawHttpClient.post(GEMINI, "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
          + "\"generationConfig\":{\"stopSequences\":[1]}}")).read();
      assertGeminiError(r, 400);
      assertThat(json(r).path("error").path("message").asText())
          .contains("generation_config.stop_sequences[0]");
    }
  }
}
