package io.llmsim.proxy;

import static io.llmsim.proxy.Recordings.CHAT;
import static io.llmsim.proxy.Recordings.MESSAGES;
import static io.llmsim.proxy.Recordings.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.proxy.replay.StrictReport;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay over real sockets from a real RocksDB store: exact bytes and chunk boundaries, takes,
 * incomplete recordings, the miss report and strict mode. Timing has its own test
 * ({@link ReplayTimingTest}); here every request asks for {@code speed=max} or the recordings
 * are short.
 */
class ReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAX = "x-simulation-mode: replay; speed=max";
  private static final String STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String HELLO = "{\"model\":\"gpt-4o\",\"temperature\":0.2,\"messages\":["
      + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
      + "{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @TempDir Path storeDir;

  private static final List<Chunk> SSE = List.of(
      chunk(10, "data: {\"id\":\"chatcmpl-rec\",\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"),
      // One event split across two chunks, as providers do: boundaries must survive.
      chunk(20, "data: {\"id\":\"chatcmpl-rec\",\"choices\":[{\"delta\":{\"cont"),
      chunk(21, "ent\":\"h\u00e9llo \u2713\"}}]}\n\n"),
      chunk(30, "data: [DONE]\n\n"));

  private LlmSimServer start(ReplaySettings settings) throws InterruptedException {
    return TestServers.startReplay(storeDir, settings);
  }

  @Test
  void aStreamedAnswerArrivesByteForByteWithItsChunkBoundaries() throws Exception {
    RecordedExchange recorded =
        Recordings.streamed("000000000001aa", CHAT, "gpt-4o", STREAM, 5, SSE, true);
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server, recorded);

      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", STREAM,
          MAX)).read();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("content-type", "text/event-stream; charset=utf-8")
          .containsEntry("x-request-id", "req_000000000001aa")
          .containsEntry("transfer-encoding", "chunked")
          .doesNotContainKey("content-length");
      assertThat(r.chunkBytes()).containsExactlyElementsOf(
          recorded.chunks().stream().map(Chunk::bytes).toList());
    }
  }

  @Test
  void aWholeAnswerKeepsItsStatusHeadersAndBody() throws Exception {
    String answer = "{\"id\":\"chatcmpl-whole\",\"choices\":[{\"message\":{\"content\":\"Hi\"}}]}";
    String limited = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}";
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server, Recordings.whole("000000000001ab", CHAT, "gpt-4o", HELLO, 200,
          answer, 40));
      String other = HELLO.replace("0.2", "0.9");
      Recordings.put(server, Recordings.whole("000000000001ac", CHAT, "gpt-4o", other, 429,
          limited, 10));

      RawHttpClient.Response ok =
          client.send(RawHttpClient.post("/v1/chat/completions", HELLO)).read();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.text()).isEqualTo(answer);
      assertThat(ok.headers()).containsEntry("content-length",
          String.valueOf(answer.getBytes(StandardCharsets.UTF_8).length))
          .containsEntry("x-request-id", "req_000000000001ab")
          .doesNotContainKey("transfer-encoding");

      RawHttpClient.Response error =
          client.send(RawHttpClient.post("/v1/chat/completions", other)).read();
      assertThat(error.status()).isEqualTo(429);
      assertThat(error.text()).isEqualTo(limited);
    }
  }

  @Test
  void takesAreServedInTurnThenTheLastAgainOrAsTheHeaderPicks() throws Exception {
    String fp = Recordings.fingerprint(CHAT, "gpt-4o", HELLO);
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      for (int take = 1; take <= 3; take++) {
        Recordings.put(server, Recordings.exchange("00000000000" + take + "ff", fp, CHAT,
            "gpt-4o", HELLO, 200, List.of(), 0, List.of(chunk(0, "take " + take)), true));
      }
      List<String> inTurn = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        inTurn.add(client.send(RawHttpClient.post("/v1/chat/completions", HELLO, MAX)).read()
            .text());
      }
      assertThat(inTurn).containsExactly("take 1", "take 2", "take 3", "take 3");

      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          "x-simulation-mode: replay; take=2")).read().text()).isEqualTo("take 2");
      // seed 4 of 3 takes: 4 mod 3 = 1, the second take
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          "x-simulation-mode: replay; seed=4")).read().text()).isEqualTo("take 2");

      RawHttpClient.Response beyond = client.send(RawHttpClient.post("/v1/chat/completions",
          HELLO, "x-simulation-mode: replay; take=7")).read();
      assertThat(beyond.status()).isEqualTo(404);
      assertThat(message(beyond)).contains("asks for take 7, but this request has 3 recordings");
    }
  }

  @Test
  void incompleteRecordingsAreSkippedUnlessIncluded() throws Exception {
    List<Chunk> cut = List.of(chunk(1, "data: {\"partial\":1}\n\n"), chunk(2, "data: {\"par"));
    RecordedExchange incomplete =
        Recordings.streamed("000000000002aa", CHAT, "gpt-4o", STREAM, 0, cut, false);
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server, incomplete);
      RawHttpClient.Response miss =
          client.send(RawHttpClient.post("/v1/chat/completions", STREAM, MAX)).read();
      assertThat(miss.status()).isEqualTo(404);
      assertThat(message(miss)).contains("1 recording matches, but it was cut short")
          .contains("--include-incomplete");
    }

    ReplaySettings included = new ReplaySettings(Speed.MAX, "error", false, true, List.of());
    try (LlmSimServer server = start(included);
        RawHttpClient client = new RawHttpClient(server.port())) {
      String raw = new String(client.send(RawHttpClient.post("/v1/chat/completions", STREAM))
          .readUntilClosed(), StandardCharsets.UTF_8);
      // The cut is replayed as it happened: both chunks, then the connection closes without the
      // terminating zero-length chunk.
      assertThat(raw).startsWith("HTTP/1.1 200")
          .contains(framed(cut.get(0)), framed(cut.get(1)))
          .doesNotContain("\r\n0\r\n\r\n");
    }
  }

  @Test
  void aMissIsA404InTheOpenAiShapeNamingTheNearestRecordingAndWhatDiffers() throws Exception {
    String far = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a"
        + " long poem about the sea and its many moods\"}],\"max_tokens\":900,\"n\":2}";
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response empty =
          client.send(RawHttpClient.post("/v1/chat/completions", HELLO)).read();
      assertThat(empty.status()).isEqualTo(404);
      assertThat(message(empty)).endsWith("the store has no recordings.");

      Recordings.put(server,
          Recordings.whole("000000000003aa", CHAT, "gpt-4o", HELLO, 200, "{}", 0),
          Recordings.whole("000000000003ab", CHAT, "gpt-4o", far, 200, "{}", 0));
      String asked = "{\"model\":\"gpt-4o-mini\",\"temperature\":0.7,\"user\":\"u-1\",\"messages\":["
          + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"Say goodbye\"}]}";
      RawHttpClient.Response miss =
          client.send(RawHttpClient.post("/v1/chat/completions", asked)).read();

      assertThat(miss.status()).isEqualTo(404);
      JsonNode error = JSON.readTree(miss.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("recording_not_found");
      String[] lines = error.get("message").asText().split("\n");
      assertThat(lines[0]).startsWith("No recording to replay for POST /v1/chat/completions"
          + " (model gpt-4o-mini, fingerprint " + Recordings.fingerprint(CHAT, "gpt-4o-mini", asked));
      // The nearest first; the ignored "user" field is not a difference.
      assertThat(lines[1]).isEqualTo("1. 000000000003aa: model: gpt-4o-mini ≠ gpt-4o;"
          + " messages[1].content: Say goodbye ≠ Say hello; temperature: 0.7 ≠ 0.2");
      assertThat(lines[2]).startsWith("2. 000000000003ab: model: gpt-4o-mini ≠ gpt-4o;")
          .contains("max_tokens: absent ≠ 900", "messages[0].content differs",
              "messages: 2 items ≠ 1 item");
    }
  }

  @Test
  void aMissOnAnAnthropicEndpointIsA404InAnthropicsShape() throws Exception {
    String recorded = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":200,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server, Recordings.whole("000000000004aa", MESSAGES, "claude-sonnet-4-5",
          recorded, 200, "{}", 0));
      RawHttpClient.Response miss = client.send(RawHttpClient.post("/v1/messages",
          recorded.replace("200", "100"), "anthropic-version: 2023-06-01")).read();

      assertThat(miss.status()).isEqualTo(404);
      JsonNode body = JSON.readTree(miss.body());
      assertThat(body.get("type").asText()).isEqualTo("error");
      assertThat(body.at("/error/type").asText()).isEqualTo("not_found_error");
      assertThat(body.at("/error/message").asText())
          .contains("No recording to replay for POST /v1/messages")
          .contains("1. 000000000004aa: max_tokens: 100 ≠ 200");
    }
  }

  @Test
  void onMissSynthesizeAnswersAnyway() throws Exception {
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", HELLO,
          "x-simulation-mode: replay; on-miss=synthesize")).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("object").asText()).isEqualTo("chat.completion");
    }
  }

  @Test
  void aRecordingAddedWhileRunningIsServedToTheNextRequest() throws Exception {
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", HELLO, MAX)).read()
          .status()).isEqualTo(404);
      Recordings.put(server,
          Recordings.whole("000000000005aa", CHAT, "gpt-4o", HELLO, 200, "{\"late\":1}", 0));
      for (int i = 0; i < 2; i++) { // the second is served from the cache
        assertThat(client.send(RawHttpClient.post("/v1/chat/completions", HELLO, MAX)).read()
            .text()).isEqualTo("{\"late\":1}");
      }
    }
  }

  @Test
  void strictModeReportsUnmatchedRequestsAndUnusedRecordings() throws Exception {
    String unmatched = HELLO.replace("Say hello", "Say nothing");
    ReplaySettings strict = new ReplaySettings(Speed.MAX, "synthesize", true, false, List.of());
    LlmSimServer server = start(strict);
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server,
          Recordings.whole("000000000006aa", CHAT, "gpt-4o", HELLO, 200, "{}", 0),
          Recordings.whole("000000000006ab", CHAT, "gpt-4o", STREAM, 200, "{}", 0));
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", HELLO)).read().status())
          .isEqualTo(200);
      // Synthesized on a miss, and still reported.
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", unmatched)).read()
          .status()).isEqualTo(200);

      RawHttpClient.Response r = client.send(RawHttpClient.get("/llmsim/replay/report")).read();
      assertThat(r.status()).isEqualTo(200);
      JsonNode report = JSON.readTree(r.body());
      assertThat(report.get("clean").asBoolean()).isFalse();
      assertThat(report.at("/unmatched/0/endpoint").asText()).isEqualTo(CHAT);
      assertThat(report.at("/unmatched/0/model").asText()).isEqualTo("gpt-4o");
      assertThat(report.at("/unmatched/0/fingerprint").asText())
          .isEqualTo(Recordings.fingerprint(CHAT, "gpt-4o", unmatched));
      assertThat(report.at("/unmatched/0/count").asInt()).isEqualTo(1);
      assertThat(report.get("unused_recordings")).hasSize(1);
      assertThat(report.at("/unused_recordings/0").asText()).isEqualTo("000000000006ab");
    } finally {
      server.close();
    }
    StrictReport last = server.strictReport();
    assertThat(last.isClean()).isFalse();
    assertThat(last.unusedRecordings()).containsExactly("000000000006ab");
  }

  @Test
  void theReportEndpointSaysWhenStrictModeIsOff() throws Exception {
    try (LlmSimServer server = start(ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response r = client.send(RawHttpClient.get("/llmsim/replay/report")).read();
      assertThat(r.status()).isEqualTo(404);
      assertThat(message(r)).contains("--strict");
      assertThat(server.strictReport()).isNull();
    }
  }

  /** A chunk as chunked transfer coding frames it. */
  private static String framed(Chunk chunk) {
    return "\r\n" + Integer.toHexString(chunk.length()) + "\r\n"
        + new String(chunk.bytes(), StandardCharsets.UTF_8) + "\r\n";
  }

  private static String message(RawHttpClient.Response r) throws Exception {
    return JSON.readTree(r.body()).at("/error/message").asText();
  }
}
