package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.Content;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.FinishReason;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionCallingConfig;
import com.google.genai.types.FunctionCallingConfigMode;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.ListModelsConfig;
import com.google.genai.types.Model;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import com.google.genai.types.ToolConfig;
import io.llmsim.core.gemini.GeminiSchemas;
import io.llmsim.core.generate.SchemaValueGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official google-genai Java SDK against a real llmsim on a loopback port, and raw sockets for
 * what the SDK hides: {@code ?key=} auth and the exact {@code data: } framing of the stream.
 */
class GeminiSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gemini-2.5-flash";
  private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
  private static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";
  private static final String HELLO =
      "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}],"
          + " \"generationConfig\": {\"seed\": 4, \"maxOutputTokens\": 6}}";
  private static LlmSimServer server;
  private static Client client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.startInstant();
    client = client(Map.of());
  }

  private static Client client(Map<String, String> headers) {
    return Client.builder()
        .apiKey("test-not-a-real-key")
        .vertexAI(false)
        .httpOptions(HttpOptions.builder().baseUrl(server.baseUri().toString()).headers(headers)
            .build())
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  private static GenerateContentConfig.Builder seeded(int seed) {
    return GenerateContentConfig.builder().seed(seed);
  }

  @Test
  void generatesContentWithUsageAndIds() {
    GenerateContentResponse response =
        client.models.generateContent(MODEL, "Say hello", seeded(3).build());
    assertThat(response.text()).isNotBlank();
    assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
    GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElseThrow();
    assertThat(usage.promptTokenCount()).contains(2); // "Say hello"
    assertThat(usage.totalTokenCount().orElseThrow())
        .isEqualTo(usage.promptTokenCount().orElseThrow()
            + usage.candidatesTokenCount().orElseThrow());
    assertThat(response.modelVersion()).contains(MODEL);
    assertThat(response.responseId().orElseThrow()).hasSize(23);
  }

  @Test
  void maxOutputTokensEndsWithMaxTokens() {
    GenerateContentResponse response = client.models.generateContent(MODEL, "Say hello",
        seeded(1).maxOutputTokens(3).candidateCount(2).build());
    assertThat(response.candidates().orElseThrow()).hasSize(2).allSatisfy(c ->
        assertThat(c.finishReason().orElseThrow().knownEnum())
            .isEqualTo(FinishReason.Known.MAX_TOKENS));
    assertThat(response.usageMetadata().orElseThrow().candidatesTokenCount()).contains(6);
  }

  @Test
  void streamAccumulatesToTheNonStreamingAnswerForTheSameSeed() {
    List<GenerateContentResponse> chunks = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "Tell me a story", seeded(5).build())) {
      for (GenerateContentResponse chunk : stream) {
        chunks.add(chunk);
        text.append(chunk.text());
      }
    }
    GenerateContentResponse whole =
        client.models.generateContent(MODEL, "Tell me a story", seeded(5).build());
    assertThat(chunks.size()).isGreaterThan(1);
    assertThat(text.toString()).isEqualTo(whole.text());
    GenerateContentResponse last = chunks.get(chunks.size() - 1);
    assertThat(last.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allSatisfy(c -> assertThat(c.candidates().orElseThrow().get(0).finishReason())
            .isEmpty());
    assertThat(last.usageMetadata()).isEqualTo(whole.usageMetadata());
    assertThat(chunks).extracting(c -> c.responseId().orElseThrow())
        .containsOnly(whole.responseId().orElseThrow());
  }

  @Test
  void simulationModeSeedHeaderFixesTheAnswer() {
    try (Client seven = client(Map.of("x-simulation-mode", "synthesize; seed=7"));
        Client eight = client(Map.of("x-simulation-mode", "synthesize; seed=8"))) {
      String a = seven.models.generateContent(MODEL, "Hi", null).text();
      StringBuilder streamed = new StringBuilder();
      try (ResponseStream<GenerateContentResponse> stream =
          seven.models.generateContentStream(MODEL, "Hi", null)) {
        stream.forEach(c -> streamed.append(c.text()));
      }
      assertThat(streamed.toString()).isEqualTo(a);
      assertThat(seven.models.generateContent(MODEL, "Hi", null).text()).isEqualTo(a);
      assertThat(eight.models.generateContent(MODEL, "Hi", null).text()).isNotEqualTo(a);
    }
  }

  private static final String WEATHER_SCHEMA = """
      {"type": "OBJECT",
       "properties": {
         "city": {"type": "STRING"},
         "unit": {"type": "STRING", "enum": ["celsius", "fahrenheit"]},
         "days": {"type": "INTEGER", "minimum": 1, "maximum": 14},
         "location": {"type": "OBJECT",
                      "properties": {"lat": {"type": "NUMBER", "minimum": -90, "maximum": 90},
                                     "lon": {"type": "NUMBER", "minimum": -180, "maximum": 180}},
                      "required": ["lat", "lon"]},
         "tags": {"type": "ARRAY", "items": {"type": "STRING"}, "minItems": 1}},
       "required": ["city", "unit", "location", "tags"]}
      """;

  private static GenerateContentConfig.Builder withTools(int seed, String... allowed) {
    Tool tools = Tool.builder().functionDeclarations(
        FunctionDeclaration.builder().name("getWeather").description("Current weather")
            .parameters(Schema.fromJson(WEATHER_SCHEMA)).build(),
        FunctionDeclaration.builder().name("getTime").description("Current time")
            .parametersJsonSchema(Map.of("type", "object",
                "properties", Map.of("tz", Map.of("type", "string")),
                "required", List.of("tz"), "additionalProperties", false))
            .build())
        .build();
    FunctionCallingConfig.Builder calling =
        FunctionCallingConfig.builder().mode(FunctionCallingConfigMode.Known.ANY);
    if (allowed.length > 0) {
      calling.allowedFunctionNames(List.of(allowed));
    }
    return seeded(seed).tools(List.of(tools))
        .toolConfig(ToolConfig.builder().functionCallingConfig(calling.build()).build());
  }

  @Test
  void callsFunctionsWithArgumentsThatMatchTheSchema() throws Exception {
    JsonNode schema = GeminiSchemas.toJsonSchema(JSON.readTree(WEATHER_SCHEMA));
    for (int seed = 0; seed < 15; seed++) {
      GenerateContentResponse response = client.models.generateContent(
          MODEL, "Weather in Oslo?", withTools(seed, "getWeather").build());
      List<FunctionCall> calls = response.functionCalls();
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0).name()).contains("getWeather");
      JsonNode args = JSON.valueToTree(calls.get(0).args().orElseThrow());
      assertThat(SchemaValueGenerator.validate(schema, args)).as(args.toString()).isEmpty();
      assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
    }
    GenerateContentResponse time = client.models.generateContent(
        MODEL, "Time?", withTools(1, "getTime").build());
    assertThat(JSON.valueToTree(time.functionCalls().get(0).args().orElseThrow())
        .path("tz").isTextual()).isTrue();
  }

  @Test
  void streamedFunctionCallArrivesInOneChunk() {
    List<GenerateContentResponse> chunks = new ArrayList<>();
    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(
        MODEL, "Weather?", withTools(2, "getWeather").build())) {
      stream.forEach(chunks::add);
    }
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).functionCalls()).extracting(c -> c.name().orElseThrow())
        .containsExactly("getWeather");
  }

  @Test
  void answersInTextAfterAFunctionResponse() {
    Map<String, Object> args = Map.of("tz", "UTC");
    Map<String, Object> result = Map.of("time", "12:00");
    List<Content> conversation = List.of(
        Content.builder().role("user").parts(Part.fromText("Time?")).build(),
        Content.builder().role("model").parts(Part.fromFunctionCall("getTime", args)).build(),
        Content.builder().role("user")
            .parts(Part.fromFunctionResponse("getTime", result)).build());
    GenerateContentConfig auto = withTools(3).toolConfig(ToolConfig.builder()
        .functionCallingConfig(FunctionCallingConfig.builder()
            .mode(FunctionCallingConfigMode.Known.AUTO).build()).build()).build();
    GenerateContentResponse response = client.models.generateContent(MODEL, conversation, auto);
    assertThat(response.functionCalls()).isNullOrEmpty();
    assertThat(response.text()).isNotBlank();
  }

  @Test
  void structuredOutputFollowsTheResponseSchema() throws Exception {
    GenerateContentResponse response = client.models.generateContent(MODEL, "Weather?",
        seeded(6).responseMimeType("application/json")
            .responseSchema(Schema.fromJson(WEATHER_SCHEMA)).build());
    JsonNode answer = JSON.readTree(response.text());
    assertThat(SchemaValueGenerator.validate(
        GeminiSchemas.toJsonSchema(JSON.readTree(WEATHER_SCHEMA)), answer)).isEmpty();
  }

  @Test
  void countsTokensAsGenerateContentCountsThePrompt() {
    CountTokensResponse count = client.models.countTokens(MODEL, "The quick brown fox", null);
    assertThat(count.totalTokens()).contains(4);
    GenerateContentResponse response =
        client.models.generateContent(MODEL, "The quick brown fox", null);
    assertThat(response.usageMetadata().orElseThrow().promptTokenCount())
        .isEqualTo(count.totalTokens());
  }

  @Test
  void listsAndGetsModels() {
    List<String> names = new ArrayList<>();
    // A small page size makes the pager follow nextPageToken.
    client.models.list(ListModelsConfig.builder().pageSize(2).build())
        .forEach(m -> names.add(m.name().orElseThrow()));
    assertThat(names).contains("models/gemini-2.5-flash", "models/gemini-2.5-pro",
        "models/gemini-2.0-flash").doesNotHaveDuplicates();

    Model model = client.models.get(MODEL, null);
    assertThat(model.name()).contains("models/gemini-2.5-flash");
    assertThat(model.displayName()).contains("Gemini 2.5 Flash");
    assertThat(model.inputTokenLimit()).contains(1_048_576);
    assertThat(model.outputTokenLimit()).contains(65_536);
    assertThat(model.supportedActions().orElseThrow()).contains("generateContent",
        "countTokens");

    assertThatThrownBy(() -> client.models.get("gemini-no-such-model", null))
        .isInstanceOfSatisfying(ClientException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.status()).isEqualTo("NOT_FOUND");
          assertThat(e.message()).contains("gemini-no-such-model");
        });
  }

  @Test
  void refusesBadRequestsWithGoogleErrors() {
    assertThatThrownBy(() -> client.models.generateContent(MODEL, "Hi",
            GenerateContentConfig.builder().candidateCount(9).build()))
        .isInstanceOfSatisfying(ClientException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
          assertThat(e.message()).contains("generation_config.candidate_count");
        });
    // A stream refused before its first token is an ordinary error answer, not SSE.
    assertThatThrownBy(() -> client.models.generateContentStream(MODEL, "Hi",
            GenerateContentConfig.builder().temperature(5f).build()))
        .isInstanceOfSatisfying(ClientException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.message()).contains("generation_config.temperature");
        });
  }

  // Raw sockets: what the SDK does not show.

  private RawHttpClient raw() throws Exception {
    return new RawHttpClient(server.port());
  }

  @Test
  void acceptsTheKeyAsQueryParameterOrNoKeyAtAll() throws Exception {
    try (RawHttpClient c = raw()) {
      RawHttpClient.Response byQuery = c.send(RawHttpClient.post(GENERATE + "?key=abc", HELLO))
          .read();
      assertThat(byQuery.status()).isEqualTo(200);
      assertThat(byQuery.headers().get("content-type"))
          .isEqualTo("application/json; charset=UTF-8");
      JsonNode json = JSON.readTree(byQuery.body());
      assertThat(json.at("/candidates/0/content/parts/0/text").asText()).isNotEmpty();

      RawHttpClient.Response byHeader = c.send(RawHttpClient.post(GENERATE, HELLO,
          "x-goog-api-key: abc")).read();
      assertThat(byHeader.status()).isEqualTo(200);
      assertThat(byHeader.text()).isEqualTo(byQuery.text()); // same seed, same bytes

      RawHttpClient.Response none = c.send(RawHttpClient.post(GENERATE, HELLO)).read();
      assertThat(none.status()).isEqualTo(200);

      // GET /v1/models is OpenAI's, unless a Google key says otherwise.
      assertThat(JSON.readTree(c.send(RawHttpClient.get("/v1/models?key=abc")).read().body())
          .has("models")).isTrue();
      assertThat(JSON.readTree(c.send(RawHttpClient.get("/v1/models")).read().body())
          .path("object").asText()).isEqualTo("list");
    }
  }

  @Test
  void streamsOneDataLinePerChunkAndEndsTheBodyAfterTheLastEvent() throws Exception {
    try (RawHttpClient c = raw()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(STREAM + "?alt=sse&key=abc", HELLO))
          .read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("content-type")).isEqualTo("text/event-stream");
      assertThat(r.headers().get("transfer-encoding")).isEqualTo("chunked");
      // instant profile: one token per event, six tokens
      assertThat(r.chunks()).hasSize(6);
      int previous = 0;
      for (int i = 0; i < r.chunks().size(); i++) {
        String chunk = r.chunks().get(i);
        assertThat(chunk).startsWith("data: {\"candidates\": [").endsWith("}\n\n");
        assertThat(chunk.substring(0, chunk.length() - 2)).doesNotContain("\n", "\r");
        JsonNode event = JSON.readTree(chunk.substring("data: ".length()));
        int tokens = event.at("/usageMetadata/candidatesTokenCount").asInt();
        assertThat(tokens).isEqualTo(previous + 1);
        previous = tokens;
        assertThat(event.at("/candidates/0/finishReason").asText(null))
            .isEqualTo(i == 5 ? "MAX_TOKENS" : null);
      }
      // The body ended (the terminating chunk was read); the connection serves the next request.
      RawHttpClient.Response next = c.send(RawHttpClient.post("/gemini" + GENERATE, HELLO))
          .read();
      assertThat(next.status()).isEqualTo(200);
      StringBuilder streamed = new StringBuilder();
      for (String chunk : r.chunks()) {
        streamed.append(JSON.readTree(chunk.substring(6))
            .at("/candidates/0/content/parts/0/text").asText());
      }
      assertThat(JSON.readTree(next.body()).at("/candidates/0/content/parts/0/text").asText())
          .isEqualTo(streamed.toString());
    }
  }

  @Test
  void withoutAltSseStreamsOneJsonArray() throws Exception {
    try (RawHttpClient c = raw()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(STREAM, HELLO)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("content-type")).isEqualTo("application/json; charset=UTF-8");
      assertThat(r.chunks().get(0)).startsWith("[{");
      assertThat(r.chunks().get(r.chunks().size() - 1)).isEqualTo("]");
      JsonNode array = JSON.readTree(r.body());
      assertThat(array.isArray()).isTrue();
      assertThat(array).hasSize(6);
      assertThat(array.get(5).at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
    }
  }

  @Test
  void errorsBeforeTheFirstTokenAreJsonNotSse() throws Exception {
    try (RawHttpClient c = raw()) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(STREAM + "?alt=sse",
          "{\"contents\": []}", "x-goog-api-key: abc")).read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.headers().get("content-type")).isEqualTo("application/json; charset=UTF-8");
      assertThat(r.text()).startsWith("{\n  \"error\": {\n    \"code\": 400,\n");
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
      assertThat(error.path("message").asText()).contains("contents");

      RawHttpClient.Response unknown = c.send(RawHttpClient.post(
          "/v1beta/models/gemini-2.5-flash:frobnicate", "{}")).read();
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(JSON.readTree(unknown.body()).at("/error/status").asText())
          .isEqualTo("NOT_FOUND");
    }
  }
}
