package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP behaviour over a real socket: framing, keep-alive, pipelining, limits and errors. */
class HttpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "/v1/chat/completions";
  private static final String HELLO =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":1}";
  private static final String HELLO_STREAM =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":1,"
          + "\"stream\":true,\"max_tokens\":5}";
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

  private RawHttpClient client() throws Exception {
    return new RawHttpClient(server.port());
  }

  private static JsonNode error(RawHttpClient.Response response) throws Exception {
    assertThat(response.headers().get("content-type")).isEqualTo("application/json");
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code"))
        .as("all four keys of an OpenAI error").isTrue();
    return error;
  }

  @Test
  void health() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.get("/health")).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void streamsOneEventPerChunkEndingWithDoneAndTheEndOfTheBody() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(CHAT, HELLO_STREAM)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("content-type")).isEqualTo("text/event-stream; charset=utf-8");
      assertThat(r.headers().get("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.headers()).containsKeys("x-request-id", "openai-processing-ms",
          "x-ratelimit-limit-requests", "x-ratelimit-remaining-tokens");
      // role chunk + 5 tokens + finish chunk + [DONE], each its own HTTP chunk
      assertThat(r.chunks()).hasSize(8);
      assertThat(r.chunks()).allSatisfy(chunk -> {
        assertThat(chunk).startsWith("data: ").endsWith("\n\n");
        assertThat(chunk.substring(0, chunk.length() - 2)).doesNotContain("\n");
      });
      assertThat(r.chunks().get(7)).isEqualTo("data: [DONE]\n\n");
      assertThat(r.chunks().get(6)).contains("\"finish_reason\":\"length\"");
    }
  }

  @Test
  void keepsTheConnectionAliveAcrossRequests() throws Exception {
    try (RawHttpClient c = client()) {
      for (int i = 0; i < 3; i++) {
        assertThat(c.send(RawHttpClient.post(CHAT, HELLO_STREAM)).read().status()).isEqualTo(200);
        assertThat(c.send(RawHttpClient.post(CHAT, HELLO)).read().status()).isEqualTo(200);
      }
    }
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    try (RawHttpClient c = client()) {
      c.send(RawHttpClient.post(CHAT, HELLO_STREAM)
          + RawHttpClient.get("/v1/models/gpt-4o")
          + RawHttpClient.post(CHAT, HELLO)
          + RawHttpClient.get("/v1/models/missing"));
      assertThat(c.read().headers().get("content-type")).startsWith("text/event-stream");
      assertThat(JSON.readTree(c.read().body()).get("id").asText()).isEqualTo("gpt-4o");
      assertThat(JSON.readTree(c.read().body()).get("object").asText())
          .isEqualTo("chat.completion");
      assertThat(c.read().status()).isEqualTo(404);
    }
  }

  @Test
  void closesAfterTheAnswerWhenAskedTo() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r =
          c.send(RawHttpClient.post(CHAT, HELLO_STREAM, "Connection: close")).read();
      assertThat(r.chunks()).last().isEqualTo("data: [DONE]\n\n");
      assertThat(r.headers().get("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void anHttp10ClientIsToldWhetherTheConnectionStaysOpen() throws Exception {
    try (RawHttpClient c = client()) {
      String keepAlive = "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
      RawHttpClient.Response first = c.send(keepAlive).read();
      assertThat(first.headers().get("connection")).isEqualTo("keep-alive");
      assertThat(first.text()).isEqualTo("{\"status\":\"ok\"}");
      RawHttpClient.Response second = c.send("GET /health HTTP/1.0\r\n\r\n").read();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.headers().get("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aHeadRequestGetsTheHeadAndNoBody() throws Exception {
    try (RawHttpClient c = client()) {
      c.send("HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n" + RawHttpClient.get("/health"));
      RawHttpClient.Response head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(Integer.parseInt(head.headers().get("content-length"))).isPositive();
      // No body came between the two answers: the next one reads as a whole response.
      RawHttpClient.Response next = c.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post("/v1/nothing", "{}")).read();
      assertThat(r.status()).isEqualTo(404);
      assertThat(error(r).get("message").asText()).isEqualTo("Invalid URL (POST /v1/nothing)");

      r = c.send(RawHttpClient.get(CHAT)).read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(error(r).get("message").asText()).contains("GET /v1/chat/completions");
    }
  }

  @Test
  void invalidJsonAndMissingFieldsAreNamed() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(CHAT, "{\"model\": ")).read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(error(r).get("message").asText()).contains("could not parse the JSON body");

      r = c.send(RawHttpClient.post(CHAT, "{\"model\":\"gpt-4o\"}")).read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(error(r).get("param").asText()).isEqualTo("messages");
      assertThat(error(r).get("code").asText()).isEqualTo("missing_required_parameter");

      r = c.send(RawHttpClient.post(CHAT, "{\"messages\":[]}")).read();
      assertThat(error(r).get("message").asText()).contains("model");

      r = c.send(RawHttpClient.post(CHAT, "{\"model\":\"m\",\"messages\":\"hi\"}")).read();
      assertThat(error(r).get("code").asText()).isEqualTo("invalid_type");

      r = c.send(RawHttpClient.post(CHAT,
          "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}")).read();
      assertThat(error(r).get("param").asText()).isEqualTo("messages[0].role");

      r = c.send(RawHttpClient.post(CHAT, "[1,2]")).read();
      assertThat(r.status()).isEqualTo(400);
    }
  }

  @Test
  void oversizedBodyIs413InOpenAiShape() throws Exception {
    String big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "x".repeat(70 * 1024) + "\"}]}";
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(CHAT, big)).read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(error(r).get("code").asText()).isEqualTo("request_too_large");
    }
  }

  @Test
  void malformedRequestLineGetsAnAnswerNotASilentClose() throws Exception {
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send("THIS IS NOT HTTP\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(400);
    }
    try (RawHttpClient c = client()) {
      RawHttpClient.Response r = c.send(
          "GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(431);
    }
  }

  @Test
  void simulationModeHeaderIsValidated() throws Exception {
    try (RawHttpClient c = client()) {
      // Each bad header, and the token the error message must name.
      Map<String, String> cases = Map.of(
          "bogus", "bogus",
          "replay", "replay",
          "synthesize; fault=meteor", "meteor",
          "synthesize; take=2", "take",
          "synthesize; colour=red", "colour",
          "synthesize; seed=abc", "abc",
          "synthesize; profile=nope", "nope",
          "synthesize; speed=fast", "fast");
      for (Map.Entry<String, String> bad : cases.entrySet()) {
        RawHttpClient.Response r =
            c.send(RawHttpClient.post(CHAT, HELLO, "x-simulation-mode: " + bad.getKey())).read();
        assertThat(r.status()).as(bad.getKey()).isEqualTo(400);
        JsonNode error = error(r);
        assertThat(error.get("param").asText()).isEqualTo("x-simulation-mode");
        assertThat(error.get("message").asText()).as(bad.getKey()).contains(bad.getValue());
      }
      RawHttpClient.Response ok = c.send(RawHttpClient.post(CHAT, HELLO,
          "x-simulation-mode: synthesize; seed=9; speed=max; profile=fast")).read();
      assertThat(ok.status()).isEqualTo(200);
    }
  }

  @Test
  void headerSeedOverridesBodySeed() throws Exception {
    try (RawHttpClient c = client()) {
      String a = JSON.readTree(c.send(RawHttpClient.post(CHAT, HELLO,
          "x-simulation-mode: synthesize; seed=77")).read().body())
          .at("/choices/0/message/content").asText();
      String b = JSON.readTree(c.send(RawHttpClient.post(CHAT,
          HELLO.replace("\"seed\":1", "\"seed\":2"), "x-simulation-mode: synthesize; seed=77"))
          .read().body()).at("/choices/0/message/content").asText();
      assertThat(a).isEqualTo(b);
    }
  }
}
