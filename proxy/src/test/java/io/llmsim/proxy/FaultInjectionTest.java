package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmsim.core.fault.FaultKind;
import java.io.EOFException;
import java.io.IOException;
import io.llmsim.testkit.SchedulingNoise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults asked for with {@code x-simulation-mode}, against a real server: the SDKs' exceptions,
 * and over a raw socket the exact headers, in-stream errors and cut connections.
 */
class FaultInjectionTest {
  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODE = "x-simulation-mode";
  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"max_tokens\":40,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  /** A quiet host's allowance: the writer's tick, loopback, and code the JIT has not compiled. */
  private static final long QUIET_LATE_MILLIS = 100;
  private static LlmSimServer server;
  private static OpenAIClient openai;
  private static AnthropicClient anthropic;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.startInstant();
    openai = OpenAIOkHttpClient.builder().baseUrl(server.baseUri() + "/v1")
        .apiKey("sk-test-not-a-real-key").maxRetries(0).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(server.baseUri().toString())
        .apiKey("sk-ant-test-not-a-real-key").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    anthropic.close();
    server.close();
  }

  private static ChatCompletionCreateParams chat(String mode) {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi")
        .putAdditionalHeader(MODE, mode).build();
  }

  private static MessageCreateParams message(String mode) {
    return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
        .addUserMessage("hi").putAdditionalHeader(MODE, mode).build();
  }

  private RawHttpClient raw() throws IOException {
    return new RawHttpClient(server.port());
  }

  private RawHttpClient.Response chatRaw(String mode) throws IOException {
    try (RawHttpClient c = raw()) {
      return c.send(RawHttpClient.post("/v1/chat/completions", CHAT, MODE + ": " + mode)).read();
    }
  }

  @Test
  void openAiSdkRaisesRateLimitException() {
    long before = server.faultCounter().count(FaultKind.RATE_LIMIT, "openai", "gpt-4o-mini");
    assertThatThrownBy(
        () -> openai.chat().completions().create(chat("synthesize; fault=rate_limit")))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.code()).hasValue("rate_limit_exceeded");
          assertThat(e.headers().values("retry-after")).containsExactly("1");
        });
    assertThat(server.faultCounter().count(FaultKind.RATE_LIMIT, "openai", "gpt-4o-mini"))
        .isEqualTo(before + 1);
  }

  @Test
  void rateLimitHeadersAgreeOverTheWire() throws IOException {
    RawHttpClient.Response r = chatRaw("synthesize; fault=rate_limit; retry-after=7");
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.headers()).containsEntry("retry-after", "7")
        .containsEntry("retry-after-ms", "7000")
        .containsEntry("x-ratelimit-remaining-requests", "0")
        .containsEntry("x-ratelimit-reset-requests", "7s")
        .doesNotContainKey("x-should-retry");
    assertThat(JSON.readTree(r.body()).at("/error/code").asText())
        .isEqualTo("rate_limit_exceeded");
    // The message's delay agrees with the headers, as OpenAI's "Please try again in 7s." does.
    assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("in 7s");

    try (RawHttpClient c = raw()) {
      RawHttpClient.Response o = c.send(RawHttpClient.post("/v1/responses",
          "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":true}",
          MODE + ": synthesize; fault=server_error; after=2")).read();
      assertThat(o.chunks()).hasSize(3);
      assertThat(o.chunks().get(0)).startsWith("event: response.created\n");
      assertThat(o.chunks().get(2)).startsWith("event: error\ndata: {\"type\":\"error\"");
    }
    try (RawHttpClient c = raw()) {
      RawHttpClient.Response a = c.send(RawHttpClient.post("/v1/messages",
          "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
          "anthropic-version: 2023-06-01", MODE + ": synthesize; fault=rate_limit")).read();
      assertThat(a.status()).isEqualTo(429);
      assertThat(a.headers()).containsEntry("retry-after", "1")
          .containsEntry("retry-after-ms", "1000")
          .containsEntry("anthropic-ratelimit-requests-remaining", "0");
      assertThat(JSON.readTree(a.body()).at("/error/type").asText())
          .isEqualTo("rate_limit_error");
    }
  }

  @Test
  void anthropicSdkSeesOverloadedAsItsOverloadedException() {
    assertThatThrownBy(() -> anthropic.messages().create(message("synthesize; fault=overloaded")))
        .isInstanceOfSatisfying(OverloadedException.class,
            e -> assertThat(e.statusCode()).isEqualTo(529));
  }

  @Test
  void openAiSdkStreamGetsNChunksThenSseException() {
    AtomicInteger chunks = new AtomicInteger();
    assertThatThrownBy(() -> {
      try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream = openai.chat()
          .completions().createStreaming(chat("synthesize; fault=server_error; after=2"))) {
        stream.stream().forEach(c -> chunks.incrementAndGet());
      }
    }).isInstanceOf(SseException.class);
    assertThat(chunks).hasValue(2);
  }

  @Test
  void anthropicSdkStreamGetsNEventsThenTheError() {
    AtomicInteger events = new AtomicInteger();
    assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages()
          .createStreaming(message("synthesize; fault=overloaded; after=2"))) {
        stream.stream().forEach(e -> events.incrementAndGet());
      }
    }).isInstanceOf(AnthropicServiceException.class).hasMessageContaining("Overloaded");
    // message_start and content_block_start; the error replaces what came next.
    assertThat(events).hasValue(2);
  }

  @Test
  void streamCarriesExactlyNFramesThenTheErrorEvent() throws IOException {
    RawHttpClient.Response r = chatRaw("synthesize; fault=rate_limit; after=3");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.chunks()).hasSize(4);
    for (String chunk : r.chunks().subList(0, 3)) {
      assertThat(chunk).startsWith("data: {\"id\":\"chatcmpl-");
    }
    String error = r.chunks().get(3);
    assertThat(error).startsWith("data: {\"error\":{").endsWith("\n\n");
    assertThat(JSON.readTree(error.substring(6)).at("/error/code").asText())
        .isEqualTo("rate_limit_exceeded");

    try (RawHttpClient c = raw()) {
      RawHttpClient.Response g = c.send(RawHttpClient.post(
          "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
          "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}",
          "x-goog-api-key: test", MODE + ": synthesize; fault=unavailable; after=1")).read();
      assertThat(g.status()).isEqualTo(200);
      assertThat(g.chunks()).hasSize(2);
      JsonNode err = JSON.readTree(g.chunks().get(1).substring(6)).get("error");
      assertThat(err.get("code").asInt()).isEqualTo(503);
      assertThat(err.get("status").asText()).isEqualTo("UNAVAILABLE");
    }
    try (RawHttpClient c = raw()) {
      RawHttpClient.Response a = c.send(RawHttpClient.post("/v1/messages",
          "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"stream\":true,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
          "anthropic-version: 2023-06-01", MODE + ": synthesize; fault=overloaded; after=3"))
          .read();
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.chunks()).hasSize(4);
      assertThat(a.chunks().get(0)).startsWith("event: message_start\n");
      assertThat(a.chunks().get(3)).isEqualTo("event: error\ndata: {\"type\":\"error\","
          + "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    }
  }

  @Test
  void aResponsesStreamErrorKeepsTheSequenceNumbersDense() throws IOException {
    for (String after : List.of("after=3", "after=500")) {
      try (RawHttpClient c = raw()) {
        RawHttpClient.Response r = c.send(RawHttpClient.post("/v1/responses",
            "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":true}",
            MODE + ": synthesize; fault=server_error; " + after)).read();
        assertThat(r.status()).isEqualTo(200);
        List<String> events = r.chunks();
        if (after.equals("after=3")) {
          assertThat(events).hasSize(4);
        }
        String error = events.get(events.size() - 1);
        assertThat(error).startsWith("event: error\ndata: ");
        // after=500 is past the end: the error takes the place of response.completed.
        for (int i = 0; i < events.size(); i++) {
          String event = events.get(i);
          JsonNode data = JSON.readTree(event.substring(event.indexOf("data: ") + 6));
          assertThat(data.get("sequence_number").asInt()).as(after + ", event " + i)
              .isEqualTo(i);
        }
      }
    }
  }

  @Test
  void disconnectCutsTheBodyAfterNFramesWithoutTheLastChunk() throws IOException {
    try (RawHttpClient c = raw()) {
      String all = new String(c.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          MODE + ": synthesize; fault=disconnect; after=2")).readUntilClosed(),
          StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 200");
      assertThat(all.split("data: ", -1)).hasSize(3);
      assertThat(all).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n");
    }
    try (RawHttpClient c = raw()) {
      assertThat(c.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          MODE + ": synthesize; fault=disconnect")).readUntilClosed()).isEmpty();
    }
    try (RawHttpClient c = raw()) {
      c.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          MODE + ": synthesize; fault=disconnect; after=1"));
      assertThatThrownBy(c::read).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void timeoutSendsNothingForHangThenCloses() throws IOException {
    try (RawHttpClient c = raw()) {
      long start = System.nanoTime();
      byte[] got = c.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          MODE + ": synthesize; fault=timeout; hang=300")).readUntilClosed();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(got).isEmpty();
      assertThat(elapsedMs).as("%s", noise)
          .isBetween(300L, 300 + noise.slackMillis(QUIET_LATE_MILLIS));
    }
  }

  @Test
  void malformedAddsOneBrokenEventAndTheStreamGoesOn() throws IOException {
    RawHttpClient.Response plain = chatRaw("synthesize; seed=4");
    RawHttpClient.Response r = chatRaw("synthesize; seed=4; fault=malformed; after=1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.chunks()).hasSize(plain.chunks().size() + 1);
    String broken = r.chunks().get(1);
    assertThat(broken).startsWith("data: {").endsWith("\n\n");
    assertThatThrownBy(() -> JSON.readTree(broken.substring(6)))
        .isInstanceOf(IOException.class);
    assertThat(JSON.readTree(r.chunks().get(2).substring(6)).has("choices")).isTrue();
    assertThat(r.chunks().get(r.chunks().size() - 1)).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void stallPausesOnceAfterNFrames() throws IOException {
    RawHttpClient.Response r;
    long sent;
    try (RawHttpClient c = raw()) {
      sent = System.nanoTime();
      r = c.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          MODE + ": synthesize; fault=stall; after=2; hang=400")).read();
    }
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.chunks().get(r.chunks().size() - 1)).isEqualTo("data: [DONE]\n\n");
    // The instant profile sends every frame at once, except that the stall holds the third and
    // the rest back by 400 ms: never earlier, and not much later.
    long slack = noise.slackMillis(QUIET_LATE_MILLIS);
    List<Long> at = r.chunkArrivalNanos().stream().map(n -> (n - sent) / 1_000_000).toList();
    assertThat(at.subList(0, 2)).as("%s", noise)
        .allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(slack));
    assertThat(at.subList(2, at.size())).as("%s", noise)
        .allSatisfy(ms -> assertThat(ms).isBetween(400L, 400 + slack));
  }

  @Test
  void slowStretchesTheStream() throws IOException {
    // The instant profile has no gaps to stretch: a timed profile, the same seed both times.
    long normal = streamMillis("synthesize; profile=fast; seed=11");
    long slow = streamMillis("synthesize; profile=fast; seed=11; fault=slow");
    assertThat(normal).isGreaterThan(5L);
    // Every delay is five times longer. Each stream takes its planned time (never less) plus at
    // most the slack, so the slow one is five times the normal one's plan, give or take that.
    long slack = noise.slackMillis(QUIET_LATE_MILLIS);
    assertThat(slow).as("normal %d ms (%s)", normal, noise)
        .isBetween(5 * (normal - slack), 5 * normal + slack);
  }

  private long streamMillis(String mode) throws IOException {
    long start = System.nanoTime();
    RawHttpClient.Response r = chatRaw(mode);
    assertThat(r.chunks().get(r.chunks().size() - 1)).isEqualTo("data: [DONE]\n\n");
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void faultRateZeroNeverStrikesAndASeededRateIsRepeatable() throws IOException {
    assertThat(chatRaw("synthesize; fault=server_error; fault-rate=0").status()).isEqualTo(200);
    for (int seed = 0; seed < 4; seed++) {
      String mode = "synthesize; seed=" + seed + "; fault=server_error; fault-rate=0.5";
      int first = chatRaw(mode).status();
      assertThat(first).isIn(200, 500);
      assertThat(chatRaw(mode).status()).isEqualTo(first);
    }
  }

  @Test
  void openAiSdkRetriesARateLimitAfterTheAnnouncedDelay() {
    // Every attempt is limited, so the SDK's one retry must come after retry-after (1 s).
    long before = server.faultCounter().count(FaultKind.RATE_LIMIT, "openai", "gpt-4o");
    OpenAIClient retrying = OpenAIOkHttpClient.builder().baseUrl(server.baseUri() + "/v1")
        .apiKey("sk-test-not-a-real-key").maxRetries(1).build();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> retrying.chat().completions().create(
          ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi")
              .putAdditionalHeader(MODE, "synthesize; fault=rate_limit; retry-after=1").build()))
          .isInstanceOf(RateLimitException.class);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsedMs).isBetween(900L, 10_000L);
    } finally {
      retrying.close();
    }
    assertThat(server.faultCounter().count(FaultKind.RATE_LIMIT, "openai", "gpt-4o"))
        .isEqualTo(before + 2);
  }

  @Test
  void aHangingTimeoutDoesNotHoldAGracefulStop() throws Exception {
    LlmSimServer own = TestServers.startInstant();
    try (RawHttpClient c = new RawHttpClient(own.port())) {
      c.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          MODE + ": synthesize; fault=timeout"));
      long waitUntil = System.nanoTime() + 5_000_000_000L;
      while (own.inFlight() == 0 && System.nanoTime() < waitUntil) {
        Thread.sleep(5);
      }
      assertThat(own.inFlight()).isEqualTo(1);
      long start = System.nanoTime();
      own.close(java.time.Duration.ofSeconds(20));
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);
      assertThat(c.readUntilClosed()).isEmpty();
    } finally {
      own.close();
    }
  }

  @Test
  void badFaultValuesAre400NamingTheToken() throws IOException {
    assertThatThrownBy(
        () -> openai.chat().completions().create(chat("synthesize; fault=meteor")))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("meteor"));
    for (String[] bad : new String[][] {
        {"fault=slow; fault-rate=2", "fault-rate"},
        {"fault=disconnect; after=-1", "after"},
        {"fault=rate_limit; retry-after=soon", "retry-after"},
        {"fault=timeout; hang=forever", "hang"},
        {"take=3", "take"}}) {
      RawHttpClient.Response r = chatRaw("synthesize; " + bad[0]);
      assertThat(r.status()).as(bad[0]).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("invalid_simulation_mode");
      assertThat(error.get("message").asText()).as(bad[0]).contains(bad[1]);
    }
    assertThat(chatRaw("replay; fault=rate_limit").status()).isEqualTo(400);
  }
}
