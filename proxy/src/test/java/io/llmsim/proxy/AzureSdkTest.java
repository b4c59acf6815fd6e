package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openai-java SDK in its Azure modes against llmsim: the classic deployment-scoped paths with
 * {@code api-version} and the {@code api-key} header, and the v1 paths.
 */
class AzureSdkTest {
  private static final String API_VERSION = "2024-10-21";
  private static LlmSimServer server;
  /** Classic paths: the SDK adds {@code /openai/deployments/{model}} and {@code api-version}. */
  private static OpenAIClient classic;
  /** The v1 API: base URL ending in {@code /openai/v1}, no {@code api-version}. */
  private static OpenAIClient v1;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.startInstant();
    classic = OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUri().toString())
        .credential(AzureApiKeyCredential.create("azure-test-key"))
        .azureServiceVersion(AzureOpenAIServiceVersion.fromString(API_VERSION))
        // localhost is not an Azure host name: tell the SDK to build Azure's classic paths.
        .azureUrlPathMode(AzureUrlPathMode.LEGACY)
        .maxRetries(0)
        .build();
    v1 = OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUri() + "/openai/v1")
        .credential(AzureApiKeyCredential.create("azure-test-key"))
        .azureUrlPathMode(AzureUrlPathMode.UNIFIED)
        .maxRetries(0)
        .build();
  }

  @AfterAll
  static void stop() {
    classic.close();
    v1.close();
    server.close();
  }

  private static ChatCompletionCreateParams.Builder hello() {
    return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Say hello")
        .seed(6);
  }

  @Test
  void chatThroughADeploymentWithAzureHeaders() {
    HttpResponseFor<ChatCompletion> raw =
        classic.chat().completions().withRawResponse().create(hello().build());
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().values("apim-request-id")).singleElement().asString()
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(raw.headers().values("x-ms-region")).isNotEmpty();
    assertThat(raw.headers().values("x-ms-deployment-name")).containsExactly("gpt-4o");
    assertThat(raw.headers().values("openai-version")).isEmpty();
    assertThat(raw.requestId()).get().asString().hasSize(36);
    ChatCompletion completion = raw.parse();
    assertThat(completion.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(completion.choices().get(0).message().content()).get().asString().isNotBlank();
  }

  @Test
  void streamsChatThroughADeployment() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        classic.chat().completions().createStreaming(hello().build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion whole = classic.chat().completions().create(hello().build());
    assertThat(accumulator.chatCompletion().choices().get(0).message().content())
        .isEqualTo(whole.choices().get(0).message().content());
  }

  @Test
  void completionsAndEmbeddingsThroughDeployments() {
    Completion completion = classic.completions().create(CompletionCreateParams.builder()
        .model("gpt-35-turbo-instruct").prompt("Say this is a test").maxTokens(4).build());
    assertThat(completion.choices().get(0).text()).isNotBlank();
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);

    CreateEmbeddingResponse embeddings = classic.embeddings().create(EmbeddingCreateParams
        .builder().model("text-embedding-3-large").input("Oslo").build());
    assertThat(embeddings.data().get(0).embedding()).hasSize(3072);
  }

  @Test
  void responsesOnTheClassicAndTheV1Paths() {
    ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o-mini")
        .input("Capital of Norway?").putAdditionalHeader("x-simulation-mode",
            "synthesize; seed=8").build();
    Response viaClassic = classic.responses().create(params);
    HttpResponseFor<Response> viaV1 = v1.responses().withRawResponse().create(params);
    assertThat(viaV1.headers().values("apim-request-id")).isNotEmpty();
    assertThat(OpenAiResponsesSdkTest.model(viaV1.parse())).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(viaV1.parse().output().get(0).message().orElseThrow().content())
        .isEqualTo(viaClassic.output().get(0).message().orElseThrow().content());

    ChatCompletion chat = v1.chat().completions().create(hello().build());
    assertThat(chat.choices()).hasSize(1);
  }

  @Test
  void missingOrUnsupportedApiVersionsFailAsOnAzure() {
    // A plain OpenAI client pointed at a deployment sends no api-version: Azure says 404.
    OpenAIClient plain = OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUri() + "/openai/deployments/gpt-4o")
        .apiKey("azure-test-key").maxRetries(0).build();
    try {
      assertThatThrownBy(() -> plain.chat().completions().create(hello().build()))
          .isInstanceOfSatisfying(NotFoundException.class, e -> {
            assertThat(e.getMessage()).contains("Resource not found");
            assertThat(e.headers().values("apim-request-id")).isNotEmpty();
          });
    } finally {
      plain.close();
    }
    // The v1 API takes no dated version.
    OpenAIClient dated = OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUri() + "/openai/v1")
        .credential(AzureApiKeyCredential.create("azure-test-key"))
        .azureUrlPathMode(AzureUrlPathMode.UNIFIED)
        .azureServiceVersion(AzureOpenAIServiceVersion.fromString(API_VERSION))
        .maxRetries(0).build();
    try {
      assertThatThrownBy(() -> dated.chat().completions().create(hello().build()))
          .isInstanceOfSatisfying(BadRequestException.class,
              e -> assertThat(e.getMessage()).contains("API version not supported"));
    } finally {
      dated.close();
    }
  }

  @Test
  void validationErrorsReachTheSdkWithTheirField() {
    assertThatThrownBy(() -> classic.chat().completions().create(hello().n(0).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.param()).contains("n"));
  }
}
