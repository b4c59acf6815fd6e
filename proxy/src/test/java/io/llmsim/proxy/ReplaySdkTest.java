package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDKs get the recorded objects from replay. The recordings are real answers in each
 * provider's format (synthesized by this server, captured with a raw client chunk by chunk) stored
 * under the fingerprint of the SDK's own request, which the strict report names after the SDK's
 * first, unmatched, call: so the test does not guess how an SDK serializes its body.
 */
class ReplaySdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLAUDE = "claude-sonnet-4-5";

  @TempDir Path storeDir;
  private LlmSimServer server;
  private OpenAIClient openai;
  private AnthropicClient anthropic;
  private int recordings;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.startReplay(storeDir,
        new ReplaySettings(Speed.MAX, "error", true, false, List.of()));
    openai = OpenAIOkHttpClient.builder().baseUrl(server.baseUri() + "/v1")
        .apiKey("sk-test-not-a-real-key").maxRetries(0).build();
    anthropic = AnthropicOkHttpClient.builder().baseUrl(server.baseUri().toString())
        .apiKey("sk-ant-test-not-a-real-key").maxRetries(0).responseValidation(true).build();
  }

  @AfterEach
  void stop() {
    openai.close();
    anthropic.close();
    server.close();
  }

  @Test
  void openAiChatCompletionIsTheRecordedOne() throws Exception {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Say hello").build();
    assertThatThrownBy(() -> openai.chat().completions().create(params))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("No recording to replay");
    RawHttpClient.Response captured = synthesize("/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    record(Recordings.CHAT, "gpt-4o", captured);

    ChatCompletion completion = openai.chat().completions().create(params);

    JsonNode recorded = JSON.readTree(captured.body());
    assertThat(completion.id()).isEqualTo(recorded.get("id").asText());
    assertThat(completion.choices().get(0).message().content())
        .contains(recorded.at("/choices/0/message/content").asText());
    assertThat(completion.usage().get().totalTokens())
        .isEqualTo(recorded.at("/usage/total_tokens").asLong());
  }

  @Test
  void openAiStreamIsTheRecordedOne() throws Exception {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Stream hello").build();
    assertThatThrownBy(() -> openai.chat().completions().createStreaming(params).close())
        .isInstanceOf(NotFoundException.class);
    RawHttpClient.Response captured = synthesize("/v1/chat/completions", "{\"model\":\"gpt-4o\","
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    record(Recordings.CHAT, "gpt-4o", captured);

    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream =
        openai.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        accumulator.accumulate(chunk);
      });
    }

    StringBuilder recordedText = new StringBuilder();
    String recordedId = null;
    for (String chunk : captured.chunks()) {
      if (chunk.startsWith("data: {")) {
        JsonNode event = JSON.readTree(chunk.substring("data: ".length()));
        recordedId = event.get("id").asText();
        recordedText.append(event.at("/choices/0/delta/content").asText(""));
      }
    }
    assertThat(chunks).hasSize(captured.chunks().size() - 1); // all but [DONE]
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.id()).isEqualTo(recordedId);
    assertThat(completion.choices().get(0).message().content()).contains(recordedText.toString());
  }

  @Test
  void anthropicMessageAndStreamAreTheRecordedOnes() throws Exception {
    MessageCreateParams params = MessageCreateParams.builder().model(CLAUDE).maxTokens(64)
        .addUserMessage("Say hello").build();
    assertThatThrownBy(() -> anthropic.messages().create(params))
        .isInstanceOf(com.anthropic.errors.NotFoundException.class)
        .hasMessageContaining("No recording to replay");
    String body = "{\"model\":\"" + CLAUDE + "\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    RawHttpClient.Response whole = synthesize("/v1/messages", body + "}");
    record(Recordings.MESSAGES, CLAUDE, whole);

    Message message = anthropic.messages().create(params);
    JsonNode recorded = JSON.readTree(whole.body());
    assertThat(message.id()).isEqualTo(recorded.get("id").asText());
    assertThat(message.content().get(0).asText().text())
        .isEqualTo(recorded.at("/content/0/text").asText());

    MessageCreateParams streamed = params.toBuilder().addUserMessage("again").build();
    assertThatThrownBy(() -> anthropic.messages().createStreaming(streamed).close())
        .isInstanceOf(com.anthropic.errors.NotFoundException.class);
    RawHttpClient.Response events = synthesize("/v1/messages", body + ",\"stream\":true}");
    record(Recordings.MESSAGES, CLAUDE, events);

    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic.messages().createStreaming(streamed)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    String text = new String(events.body(), StandardCharsets.UTF_8);
    String id = text.substring(text.indexOf("\"id\":\"") + 6);
    assertThat(accumulator.message().id()).isEqualTo(id.substring(0, id.indexOf('"')));
  }

  /** A real answer in the endpoint's format, as this server synthesizes it, chunk by chunk. */
  private RawHttpClient.Response synthesize(String path, String body) throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      return client.send(RawHttpClient.post(path, body, "x-simulation-mode: synthesize",
          "anthropic-version: 2023-06-01")).read();
    }
  }

  /** Stores {@code captured} under the fingerprint of the last request that found nothing. */
  private void record(String endpoint, String model, RawHttpClient.Response captured)
      throws Exception {
    JsonNode report;
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      report = JSON.readTree(client.send(RawHttpClient.get("/llmsim/replay/report")).read()
          .body());
    }
    JsonNode unmatched = report.get("unmatched");
    String fingerprint = unmatched.get(unmatched.size() - 1).get("fingerprint").asText();
    List<Header> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : captured.headers().entrySet()) {
      headers.add(new Header(h.getKey(), h.getValue()));
    }
    List<Chunk> chunks = new ArrayList<>();
    if (captured.chunkBytes().isEmpty()) {
      chunks.add(new Chunk(1000, captured.body()));
    } else {
      captured.chunkBytes().forEach(bytes -> chunks.add(new Chunk(1000, bytes)));
    }
    RecordedExchange exchange = Recordings.exchange(
        String.format("%012x", ++recordings) + "00", fingerprint, endpoint, model, "{}",
        captured.status(), headers, 1, chunks, true);
    Recordings.put(server, exchange);
  }
}
