package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.models.Model;
import io.llmsim.core.generate.SchemaValueGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official openai-java SDK against a real llmsim on a loopback port. */
class OpenAiSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LlmSimServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.startInstant();
    client =
        OpenAIOkHttpClient.builder()
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

  private static ChatCompletionCreateParams.Builder hello(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
  }

  @Test
  void listsAndRetrievesModels() {
    List<String> ids = new ArrayList<>();
    client.models().list().autoPager().forEach(m -> ids.add(m.id()));
    assertThat(ids).contains("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");

    Model model = client.models().retrieve("gpt-4o-mini");
    assertThat(model.id()).isEqualTo("gpt-4o-mini");
    assertThat(model.ownedBy()).isEqualTo("system");

    assertThatThrownBy(() -> client.models().retrieve("no-such-model"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no-such-model");
  }

  @Test
  void answersWithoutStreaming() {
    ChatCompletion completion = client.chat().completions().create(hello("gpt-4o").seed(3).build());
    assertThat(completion.id()).startsWith("chatcmpl-").hasSize("chatcmpl-".length() + 29);
    assertThat(completion.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(completion.choices()).hasSize(1);
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).get().asString().isNotBlank();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    var usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(9); // 3 priming + 3 framing + "user" + "Say hello"
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    var raw = client.chat().completions().withRawResponse().create(hello("gpt-4o").build());
    assertThat(raw.requestId()).get().asString().startsWith("req_").hasSize(36);
    assertThat(raw.parse().choices()).hasSize(1);
  }

  @Test
  void sameSeedGivesSameAnswer() {
    ChatCompletion a = client.chat().completions().create(hello("gpt-4o").seed(42).build());
    ChatCompletion b = client.chat().completions().create(hello("gpt-4o").seed(42).build());
    ChatCompletion c = client.chat().completions().create(hello("gpt-4o").seed(43).build());
    assertThat(a.choices().get(0).message().content())
        .isEqualTo(b.choices().get(0).message().content());
    assertThat(a.id()).isEqualTo(b.id());
    assertThat(a.choices().get(0).message().content())
        .isNotEqualTo(c.choices().get(0).message().content());
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() {
    ChatCompletion completion =
        client.chat().completions().create(hello("gpt-4o").maxCompletionTokens(3).seed(1).build());
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
  }

  @Test
  void answersSeveralChoices() {
    ChatCompletion completion = client.chat().completions().create(hello("gpt-4o").n(3).build());
    assertThat(completion.choices()).extracting(ChatCompletion.Choice::index)
        .containsExactly(0L, 1L, 2L);
  }

  @Test
  void streamsTokensAndAccumulatesToTheSameKindOfCompletion() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(hello("gpt-4o-mini").seed(5).build())) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        accumulator.accumulate(chunk);
      });
    }
    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
    assertThat(chunks.subList(1, chunks.size()))
        .allSatisfy(c -> assertThat(c.choices().get(0).delta().role()).isEmpty());
    assertThat(completion.choices().get(0).message().content()).get().asString().isNotBlank();
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(chunks).noneMatch(c -> c.usage().isPresent());

    // Streaming and non-streaming with one seed say the same thing.
    ChatCompletion whole = client.chat().completions().create(hello("gpt-4o-mini").seed(5).build());
    assertThat(completion.choices().get(0).message().content())
        .isEqualTo(whole.choices().get(0).message().content());
  }

  @Test
  void streamsUsageChunkWhenAsked() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(
            hello("gpt-4o").n(2)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build())) {
      stream.stream().forEach(chunks::add);
    }
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    var usage = last.usage().orElseThrow();
    long contentChunks = chunks.stream()
        .flatMap(c -> c.choices().stream())
        .filter(ch -> ch.delta().content().filter(s -> !s.isEmpty()).isPresent())
        .count();
    assertThat(usage.completionTokens()).isEqualTo(contentChunks); // one token per chunk
    assertThat(chunks.stream().flatMap(c -> c.choices().stream())
        .filter(ch -> ch.finishReason().isPresent()).map(ChatCompletionChunk.Choice::index))
        .containsExactlyInAnyOrder(0L, 1L);
  }

  private static final Map<String, Object> WEATHER_SCHEMA =
      Map.of(
          "type", "object",
          "properties", Map.of(
              "city", Map.of("type", "string"),
              "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")),
              "days", Map.of("type", "integer", "minimum", 1, "maximum", 14),
              "location", Map.of(
                  "type", "object",
                  "properties", Map.of(
                      "lat", Map.of("type", "number", "minimum", -90, "maximum", 90),
                      "lon", Map.of("type", "number", "minimum", -180, "maximum", 180)),
                  "required", List.of("lat", "lon"),
                  "additionalProperties", false),
              "tags", Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 1)),
          "required", List.of("city", "unit", "location", "tags"),
          "additionalProperties", false);

  private static ChatCompletionFunctionTool tool(String name, Map<String, Object> schema) {
    FunctionParameters.Builder params = FunctionParameters.builder();
    schema.forEach((k, v) -> params.putAdditionalProperty(k, JsonValue.from(v)));
    return ChatCompletionFunctionTool.builder()
        .function(FunctionDefinition.builder().name(name).description("a tool")
            .parameters(params.build()).build())
        .build();
  }

  @Test
  void callsToolsWithArgumentsThatMatchTheSchema() throws Exception {
    JsonNode schema = JSON.valueToTree(WEATHER_SCHEMA);
    for (long seed = 0; seed < 20; seed++) {
      ChatCompletion completion = client.chat().completions().create(
          hello("gpt-4o").seed(seed)
              .addTool(tool("get_weather", WEATHER_SCHEMA))
              .addTool(tool("get_time", Map.of("type", "object", "properties",
                  Map.of("tz", Map.of("type", "string")), "required", List.of("tz"))))
              .toolChoice(ChatCompletionNamedToolChoice.builder()
                  .function(ChatCompletionNamedToolChoice.Function.builder()
                      .name("get_weather").build()).build())
              .build());
      ChatCompletion.Choice choice = completion.choices().get(0);
      assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
      ChatCompletionMessageToolCall call = choice.message().toolCalls().orElseThrow().get(0);
      assertThat(call.function().orElseThrow().id()).startsWith("call_");
      assertThat(call.function().orElseThrow().function().name()).isEqualTo("get_weather");
      JsonNode arguments = JSON.readTree(call.function().orElseThrow().function().arguments());
      assertThat(SchemaValueGenerator.validate(schema, arguments)).isEmpty();
    }
  }

  @Test
  void streamsToolCallsThatAccumulateToValidArguments() throws Exception {
    JsonNode schema = JSON.valueToTree(WEATHER_SCHEMA);
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        hello("gpt-4o").addTool(tool("get_weather", WEATHER_SCHEMA))
            .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build())) {
      stream.stream().forEach(c -> {
        chunks.add(c);
        accumulator.accumulate(c);
      });
    }
    long opening = chunks.stream().flatMap(c -> c.choices().stream())
        .flatMap(ch -> ch.delta().toolCalls().orElse(List.of()).stream())
        .filter(tc -> tc.id().isPresent()).count();
    assertThat(opening).isEqualTo(1); // id and name only in the first delta
    ChatCompletion completion = accumulator.chatCompletion();
    ChatCompletionMessageToolCall call =
        completion.choices().get(0).message().toolCalls().orElseThrow().get(0);
    JsonNode arguments = JSON.readTree(call.function().orElseThrow().function().arguments());
    assertThat(SchemaValueGenerator.validate(schema, arguments)).isEmpty();
  }

  @Test
  void answersInTextAfterAToolResultWhenToolChoiceIsAuto() {
    ChatCompletion completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-4o")
            .addUserMessage("weather?")
            .addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                .toolCallId("call_abc").content("{\"temp\":3}").build())
            .addTool(tool("get_weather", WEATHER_SCHEMA))
            .build());
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.choices().get(0).message().content()).isPresent();
  }

  /** A structured-output target: the SDK derives the schema and parses the answer into it. */
  public static class CityReport {
    public String city;
    public int population;
    public List<String> landmarks;
    public boolean capital;
  }

  @Test
  void structuredOutputParsesIntoTheRequestedClass() {
    StructuredChatCompletion<CityReport> completion = client.chat().completions().create(
        ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Oslo?")
            .responseFormat(CityReport.class).build());
    CityReport report = completion.choices().get(0).message().content().orElseThrow();
    assertThat(report.city).isNotNull();
    assertThat(report.landmarks).isNotNull();
  }

  @Test
  void jsonSchemaResponseFormatGivesSchemaValidContent() throws Exception {
    JsonNode schema = JSON.valueToTree(WEATHER_SCHEMA);
    ResponseFormatJsonSchema.JsonSchema.Schema.Builder s =
        ResponseFormatJsonSchema.JsonSchema.Schema.builder();
    WEATHER_SCHEMA.forEach((k, v) -> s.putAdditionalProperty(k, JsonValue.from(v)));
    ChatCompletion completion = client.chat().completions().create(
        hello("gpt-4o").responseFormat(ResponseFormatJsonSchema.builder()
            .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name("weather").strict(true).schema(s.build()).build()).build()).build());
    JsonNode content = JSON.readTree(completion.choices().get(0).message().content().orElseThrow());
    assertThat(SchemaValueGenerator.validate(schema, content)).isEmpty();
  }

  @Test
  void refusesBadRequestsWithOpenAiErrors() {
    assertThatThrownBy(() -> client.chat().completions().create(
            hello("gpt-4o").n(0).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.code()).contains("integer_below_min_value");
          assertThat(e.param()).contains("n");
        });
    assertThatThrownBy(() -> client.chat().completions().create(
            ChatCompletionCreateParams.builder().model("gpt-4o")
                .messages(List.of()).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.code()).contains("empty_array"));
    assertThatThrownBy(() -> client.chat().completions().create(
            hello("gpt-4o").putAdditionalBodyProperty("temperature", JsonValue.from(3)).build()))
        .isInstanceOfSatisfying(BadRequestException.class,
            e -> assertThat(e.param()).contains("temperature"));
  }
}
