package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official openai-java SDK's legacy completions and embeddings clients against llmsim. */
class OpenAiLegacySdkTest {
  private static LlmSimServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.startInstant();
    client = OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUri() + "/v1")
        .apiKey("sk-test-not-a-real-key")
        .maxRetries(0)
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  private static CompletionCreateParams.Builder prompt(long seed) {
    return CompletionCreateParams.builder()
        .model("gpt-3.5-turbo-instruct")
        .prompt("Say this is a test")
        .seed(seed);
  }

  @Test
  void completesWithTheDefaultSixteenTokens() {
    Completion completion = client.completions().create(prompt(1).build());
    completion.validate();
    assertThat(completion.id()).startsWith("cmpl-");
    assertThat(completion.model()).isEqualTo("gpt-3.5-turbo-instruct");
    CompletionChoice choice = completion.choices().get(0);
    assertThat(choice.text()).isNotBlank();
    // Lorem answers run to a hundred tokens or so: the default max_tokens of 16 cuts them.
    assertThat(choice.finishReason()).isEqualTo(CompletionChoice.FinishReason.LENGTH);
    var usage = completion.usage().orElseThrow();
    assertThat(usage.completionTokens()).isEqualTo(16);
    assertThat(usage.promptTokens()).isEqualTo(5);
  }

  @Test
  void streamsTheSameTextAsTheNonStreamingCall() {
    List<Completion> chunks = new ArrayList<>();
    try (StreamResponse<Completion> stream = client.completions().createStreaming(
        prompt(4).n(2).maxTokens(10)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build())) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
    for (Completion chunk : chunks.subList(0, chunks.size() - 1)) {
      assertThat(chunk.choices()).hasSize(1);
      CompletionChoice choice = chunk.choices().get(0);
      texts[(int) choice.index()].append(choice.text());
    }
    Completion last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(20);

    Completion whole = client.completions().create(prompt(4).n(2).maxTokens(10).build());
    assertThat(whole.choices().get(0).text()).isEqualTo(texts[0].toString());
    assertThat(whole.choices().get(1).text()).isEqualTo(texts[1].toString());
  }

  @Test
  void echoesThePromptAndAnswersEachPromptOfABatch() {
    Completion completion = client.completions().create(CompletionCreateParams.builder()
        .model("gpt-3.5-turbo-instruct")
        .promptOfArrayOfStrings(List.of("First prompt.", "Second prompt."))
        .echo(true).maxTokens(3).build());
    assertThat(completion.choices()).hasSize(2);
    assertThat(completion.choices().get(0).text()).startsWith("First prompt.");
    assertThat(completion.choices().get(1).text()).startsWith("Second prompt.");
    assertThat(completion.choices().get(1).index()).isEqualTo(1);
  }

  private static EmbeddingCreateParams.Builder embed(String model) {
    return EmbeddingCreateParams.builder().model(model)
        .inputOfArrayOfStrings(List.of("The quick brown fox", "Oslo"));
  }

  private static double norm(List<Float> v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  @Test
  void embedsInBothEncodingsWithTheSameVectors() {
    // The Java SDK asks for base64 unless told otherwise, and decodes it.
    CreateEmbeddingResponse base64 = client.embeddings().create(
        embed("text-embedding-3-small").build());
    CreateEmbeddingResponse floats = client.embeddings().create(
        embed("text-embedding-3-small")
            .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
    assertThat(base64.data()).hasSize(2);
    assertThat(base64.data().get(0).embeddingValue().isBase64()).isTrue();
    assertThat(floats.data().get(0).embeddingValue().isFloats()).isTrue();
    for (int i = 0; i < 2; i++) {
      List<Float> a = base64.data().get(i).embedding();
      assertThat(a).hasSize(1536);
      assertThat(norm(a)).isCloseTo(1.0, within(1e-5));
      assertThat(a).isEqualTo(floats.data().get(i).embedding());
    }
    assertThat(base64.data().get(0).embedding()).isNotEqualTo(base64.data().get(1).embedding());
    assertThat(base64.model()).isEqualTo("text-embedding-3-small");
    Tokenizer cl100k = Tokenizer.cl100k();
    long tokens = cl100k.count("The quick brown fox") + cl100k.count("Oslo");
    assertThat(base64.usage().promptTokens()).isEqualTo(tokens);
    assertThat(base64.usage().totalTokens()).isEqualTo(tokens);
  }

  @Test
  void embedsWithFewerDimensions() {
    CreateEmbeddingResponse response = client.embeddings().create(
        embed("text-embedding-3-large").dimensions(256).build());
    List<Float> v = response.data().get(1).embedding();
    assertThat(v).hasSize(256);
    assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
    assertThatThrownBy(() -> client.embeddings().create(
            embed("text-embedding-ada-002").dimensions(256).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.param()).contains("dimensions"));
  }
}
