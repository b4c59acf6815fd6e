package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.ChatModel;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.ToolChoiceFunction;
import com.openai.models.responses.ToolChoiceOptions;
import io.llmsim.core.generate.SchemaValueGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official openai-java SDK's Responses API client against a real llmsim. */
class OpenAiResponsesSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
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

  private static ResponseCreateParams.Builder ask(long seed) {
    return ResponseCreateParams.builder()
        .model("gpt-4.1-mini")
        .instructions("Be terse.")
        .input("What is the capital of Norway?")
        .putAdditionalHeader("x-simulation-mode", "synthesize; seed=" + seed);
  }

  /** The model a Response reports, whether or not the SDK knows the name. */
  static String model(Response response) {
    return response.model().string()
        .orElseGet(() -> response.model().chat().map(ChatModel::asString).orElseThrow());
  }

  private static String text(Response response) {
    return response.output().stream()
        .flatMap(item -> item.message().stream())
        .flatMap(message -> message.content().stream())
        .flatMap(content -> content.outputText().stream())
        .map(t -> t.text())
        .collect(Collectors.joining());
  }

  @Test
  void createsAResponse() {
    Response response = client.responses().create(ask(1).build());
    response.validate();
    assertThat(response.id()).startsWith("resp_").hasSize(5 + 48);
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(model(response)).isEqualTo("gpt-4.1-mini-2025-04-14");
    assertThat(response.output()).hasSize(1);
    ResponseOutputItem item = response.output().get(0);
    assertThat(item.message()).isPresent();
    assertThat(text(response)).isNotBlank();
    var usage = response.usage().orElseThrow();
    assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
    assertThat(usage.inputTokensDetails().cachedTokens()).isZero();
    assertThat(usage.outputTokensDetails().reasoningTokens()).isZero();
    assertThat(response.instructions()).isPresent();
  }

  @Test
  void streamsTheSameAnswerAsTheNonStreamingCall() {
    List<ResponseStreamEvent> events = new ArrayList<>();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream =
        client.responses().createStreaming(ask(7).build())) {
      stream.stream().forEach(event -> {
        event.validate();
        events.add(event);
        accumulator.accumulate(event);
      });
    }
    assertThat(events.get(0).created()).isPresent();
    assertThat(events.get(1).inProgress()).isPresent();
    assertThat(events.get(2).outputItemAdded()).isPresent();
    assertThat(events.get(3).contentPartAdded()).isPresent();
    assertThat(events.get(events.size() - 1).completed()).isPresent();
    assertThat(events.stream().filter(e -> e.outputTextDone().isPresent())).hasSize(1);
    assertThat(events.stream().filter(e -> e.contentPartDone().isPresent())).hasSize(1);
    assertThat(events.stream().filter(e -> e.outputItemDone().isPresent())).hasSize(1);
    List<Long> sequence = events.stream().map(OpenAiResponsesSdkTest::sequenceNumber).toList();
    for (int i = 0; i < sequence.size(); i++) {
      assertThat(sequence.get(i)).isEqualTo(i);
    }
    String streamed = events.stream()
        .flatMap(e -> e.outputTextDelta().stream())
        .map(d -> d.delta())
        .collect(Collectors.joining());
    assertThat(streamed).isNotBlank();
    assertThat(events.stream().flatMap(e -> e.outputTextDone().stream()).findFirst()
        .orElseThrow().text()).isEqualTo(streamed);

    Response accumulated = accumulator.response();
    Response whole = client.responses().create(ask(7).build());
    assertThat(text(accumulated)).isEqualTo(streamed).isEqualTo(text(whole));
    assertThat(accumulated.id()).isEqualTo(whole.id());
    assertThat(accumulated.usage()).isEqualTo(whole.usage());
  }

  @Test
  void streamsOneEventPerChunkAndEndsTheBodyAfterResponseCompleted() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true,"
        + "\"max_output_tokens\":20,\"seed\":2}";
    try (RawHttpClient raw = new RawHttpClient(server.port())) {
      // read() returns only after the terminating chunk: the server ended the body.
      RawHttpClient.Response r = raw.send(RawHttpClient.post("/v1/responses", body)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("content-type")).isEqualTo("text/event-stream; charset=utf-8");
      assertThat(r.headers().get("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.chunks()).allSatisfy(chunk -> {
        assertThat(chunk).matches("event: [a-z_.]+\ndata: \\{[^\n]*}\n\n");
        String type = chunk.substring("event: ".length(), chunk.indexOf('\n'));
        assertThat(chunk).contains("\"type\":\"" + type + "\"");
      });
      assertThat(r.chunks().get(0)).startsWith("event: response.created\n");
      assertThat(r.chunks().get(r.chunks().size() - 1))
          .startsWith("event: response.incomplete\n");
      assertThat(r.text()).doesNotContain("[DONE]");
    }
  }

  /** The event's {@code sequence_number}, read from its JSON whatever its variant. */
  private static long sequenceNumber(ResponseStreamEvent event) {
    return ObjectMappers.jsonMapper().valueToTree(event).get("sequence_number").asLong(-1);
  }

  private static final Map<String, Object> WEATHER_SCHEMA = Map.of(
      "type", "object",
      "properties", Map.of(
          "city", Map.of("type", "string"),
          "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")),
          "days", Map.of("type", "integer", "minimum", 1, "maximum", 14)),
      "required", List.of("city", "unit", "days"),
      "additionalProperties", false);

  private static FunctionTool weatherTool() {
    FunctionTool.Parameters.Builder params = FunctionTool.Parameters.builder();
    WEATHER_SCHEMA.forEach((k, v) -> params.putAdditionalProperty(k, JsonValue.from(v)));
    return FunctionTool.builder().name("get_weather").description("Weather for a city")
        .parameters(params.build()).strict(true).build();
  }

  @Test
  void callsFunctionsWithSchemaValidArguments() throws Exception {
    JsonNode schema = JSON.valueToTree(WEATHER_SCHEMA);
    for (long seed = 0; seed < 10; seed++) {
      Response response = client.responses().create(ask(seed)
          .addTool(weatherTool())
          .toolChoice(ToolChoiceFunction.builder().name("get_weather").build())
          .build());
      response.validate();
      ResponseFunctionToolCall call = response.output().get(0).functionCall().orElseThrow();
      assertThat(call.name()).isEqualTo("get_weather");
      assertThat(call.callId()).startsWith("call_");
      assertThat(call.id()).get().asString().startsWith("fc_");
      assertThat(SchemaValueGenerator.validate(schema, JSON.readTree(call.arguments()))).isEmpty();
    }
  }

  @Test
  void streamsFunctionCallArguments() throws Exception {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ask(3).addTool(weatherTool()).toolChoice(ToolChoiceOptions.REQUIRED).build())) {
      stream.stream().forEach(event -> {
        event.validate();
        events.add(event);
      });
    }
    ResponseFunctionToolCall opened = events.stream()
        .flatMap(e -> e.outputItemAdded().stream())
        .findFirst().orElseThrow().item().functionCall().orElseThrow();
    assertThat(opened.arguments()).isEmpty();
    String arguments = events.stream()
        .flatMap(e -> e.functionCallArgumentsDelta().stream())
        .map(d -> d.delta())
        .collect(Collectors.joining());
    var done = events.stream().flatMap(e -> e.functionCallArgumentsDone().stream())
        .findFirst().orElseThrow();
    assertThat(done.arguments()).isEqualTo(arguments);
    assertThat(events.stream().filter(e -> e.contentPartAdded().isPresent())).isEmpty();
    Response completed = events.get(events.size() - 1).completed().orElseThrow().response();
    ResponseFunctionToolCall call = completed.output().get(0).functionCall().orElseThrow();
    assertThat(call.callId()).isEqualTo(opened.callId());
    assertThat(SchemaValueGenerator.validate(JSON.valueToTree(WEATHER_SCHEMA),
        JSON.readTree(call.arguments()))).isEmpty();
  }

  @Test
  void answersInTextAfterAFunctionCallOutput() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model("gpt-4o")
        .inputOfResponse(List.of(
            ResponseInputItem.ofFunctionCall(ResponseFunctionToolCall.builder()
                .callId("call_abc").name("get_weather").arguments("{\"city\":\"Oslo\"}")
                .build()),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId("call_abc").output("{\"temp\":3}").build())))
        .addTool(weatherTool())
        .build());
    assertThat(response.output().get(0).message()).isPresent();
    assertThat(text(response)).isNotBlank();
  }

  /** A structured-output target: the SDK derives the schema and parses the answer into it. */
  public static class CityReport {
    public String city;
    public int population;
    public List<String> landmarks;
  }

  @Test
  void structuredOutputParsesIntoTheRequestedClass() {
    StructuredResponse<CityReport> response = client.responses().create(
        ResponseCreateParams.builder().model("gpt-4o").input("Oslo?").text(CityReport.class)
            .build());
    CityReport report = response.output().stream()
        .flatMap(item -> item.message().stream())
        .flatMap(message -> message.content().stream())
        .flatMap(content -> content.outputText().stream())
        .findFirst().orElseThrow();
    assertThat(report.city).isNotNull();
    assertThat(report.landmarks).isNotNull();
  }

  @Test
  void maxOutputTokensGivesAnIncompleteResponse() {
    Response response = client.responses().create(ask(2).maxOutputTokens(16).build());
    assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
    assertThat(response.incompleteDetails().orElseThrow().reason()).get()
        .isEqualTo(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(16);

    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream =
        client.responses().createStreaming(ask(2).maxOutputTokens(16).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertThat(accumulator.response().status()).contains(ResponseStatus.INCOMPLETE);
    assertThat(text(accumulator.response())).isEqualTo(text(response));
  }

  @Test
  void refusesBadRequestsNamingTheField() {
    assertThatThrownBy(() -> client.responses().create(ask(1).maxOutputTokens(5).build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.param()).contains("max_output_tokens");
          assertThat(e.code()).contains("integer_below_min_value");
        });
    // Errors before the first event are plain JSON even when a stream was asked for.
    assertThatThrownBy(() -> {
      try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
          ask(1).putAdditionalBodyProperty("temperature", JsonValue.from(5)).build())) {
        stream.stream().forEach(e -> { });
      }
    }).isInstanceOfSatisfying(BadRequestException.class,
        e -> assertThat(e.param()).contains("temperature"));
  }
}
