package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.llmsim.core.mode.Mode;
import io.llmsim.store.RecordedExchange;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDKs through a recording llmsim whose upstream is a second, synthesizing llmsim:
 * what the SDK sees through the recorder is what it sees from the upstream directly, and the
 * recording agrees with it.
 */
class SdkThroughRecordTest {
  @TempDir Path storeDir;
  private LlmSimServer upstream;
  private LlmSimServer recorder;

  @BeforeEach
  void start() throws Exception {
    upstream = TestServers.startInstant();
    recorder = LlmSimServer.start(
        TestServers.forwardingConfig(upstream.baseUri().toString(), storeDir, s -> s)
            .withMode(Mode.RECORD));
  }

  @AfterEach
  void stop() {
    recorder.close();
    upstream.close();
  }

  private static OpenAIClient openai(URI base) {
    return OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey("sk-test-placeholder")
        .maxRetries(0).build();
  }

  private static String streamedText(OpenAIClient client) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
        .addUserMessage("Say hello").seed(42)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
    try (var stream = client.chat().completions().createStreaming(params)) {
      return stream.stream().flatMap(c -> c.choices().stream())
          .map(ChatCompletionChunk.Choice::delta)
          .map(d -> d.content().orElse(""))
          .collect(Collectors.joining());
    } finally {
      client.close();
    }
  }

  private List<RecordedExchange> recorded(int expected) throws Exception {
    return Recordings.awaitStored(recorder, expected);
  }

  @Test
  void openAiStreamThroughTheRecorderIsTheUpstreamsStream() throws Exception {
    String through = streamedText(openai(recorder.baseUri()));
    String direct = streamedText(openai(upstream.baseUri()));

    assertThat(through).isNotEmpty().isEqualTo(direct);
    assertThat(recorded(1)).singleElement().satisfies(e -> {
      assertThat(e.complete()).isTrue();
      assertThat(e.endpoint()).isEqualTo("POST /v1/chat/completions");
      assertThat(e.usage().outputTokens()).isPositive();
      assertThat(new String(e.chunks().get(e.chunks().size() - 1).bytes()))
          .endsWith("data: [DONE]\n\n");
    });
  }

  @Test
  void wholeAnswersThroughTheRecorderAreTheUpstreamsAnswers() throws Exception {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addUserMessage("Say hello").seed(7).build();
    OpenAIClient through = openai(recorder.baseUri());
    OpenAIClient direct = openai(upstream.baseUri());
    try {
      var viaRecorder = through.chat().completions().create(params);
      var fromUpstream = direct.chat().completions().create(params);
      assertThat(viaRecorder.choices().get(0).message().content())
          .isEqualTo(fromUpstream.choices().get(0).message().content());
      assertThat(recorded(1)).singleElement().satisfies(e -> {
        assertThat(e.complete()).isTrue();
        assertThat(e.usage().outputTokens())
            .isEqualTo(viaRecorder.usage().orElseThrow().completionTokens());
      });
    } finally {
      through.close();
      direct.close();
    }
  }

  @Test
  void anthropicStreamThroughTheRecorderIsRecordedAsTheSdkSawIt() throws Exception {
    AnthropicClient client = AnthropicOkHttpClient.builder()
        .baseUrl(recorder.baseUri().toString()).apiKey("sk-ant-placeholder").maxRetries(0)
        .responseValidation(true).build();
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
        MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256)
            .addUserMessage("Say hello").build())) {
      stream.stream().forEach(accumulator::accumulate);
    } finally {
      client.close();
    }
    Message message = accumulator.message();
    assertThat(message.content()).isNotEmpty();

    assertThat(recorded(1)).singleElement().satisfies(e -> {
      assertThat(e.provider()).isEqualTo("anthropic");
      assertThat(e.complete()).isTrue();
      assertThat(e.usage().inputTokens()).isEqualTo(message.usage().inputTokens());
      assertThat(e.usage().outputTokens()).isEqualTo(message.usage().outputTokens());
    });
  }
}
