package io.llmsim.core.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Router;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.generate.SchemaValueGenerator;
import io.llmsim.core.openai.OpenAiApi;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Gemini API through the router, without sockets: routing, answers, validation, errors. */
class GeminiApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "/v1beta/models/gemini-2.5-flash";
  private static final Router ROUTER =
      new Router(List.of(new GeminiApi(ApiConfig.defaults()), new OpenAiApi(ApiConfig.defaults())),
          (request, e) -> {
            throw e;
          });

  private record Answer(int status, Map<String, String> headers, List<String> frames) {
    JsonNode json() throws IOException {
      return JSON.readTree(String.join("", frames));
    }

    /** The events of an SSE answer, parsed. */
    List<JsonNode> events() throws IOException {
      List<JsonNode> events = new ArrayList<>();
      for (String frame : frames) {
        assertThat(frame).startsWith("data: ").endsWith("\n\n");
        events.add(JSON.readTree(frame.substring("data: ".length())));
      }
      return events;
    }
  }

  private static Answer send(String method, String uri, String body, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    ResponsePlan plan = ROUTER.route(new ApiRequest(method, uri, h,
        body.getBytes(StandardCharsets.UTF_8), 1_767_225_600L));
    Map<String, String> responseHeaders = new LinkedHashMap<>();
    plan.headers().forEach(e -> responseHeaders.put(e.getKey(), e.getValue()));
    List<String> frames = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      frames.add(new String(f.bytes(), StandardCharsets.UTF_8));
    }
    return new Answer(plan.status(), responseHeaders, frames);
  }

  private static Answer post(String uri, String body) {
    return send("POST", uri, body);
  }

  private static JsonNode error(Answer answer, int status, String statusName) throws IOException {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.headers().get("content-type")).isEqualTo("application/json; charset=UTF-8");
    JsonNode error = answer.json().get("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("status").asText()).isEqualTo(statusName);
    assertThat(error.path("message").asText()).isNotEmpty();
    return error;
  }

  private static String hello(int seed) {
    return "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Say hello\"}]}],"
        + " \"generationConfig\": {\"seed\": " + seed + "}}";
  }

  @Test
  void answersGenerateContentWithUsageAndIds() throws IOException {
    Answer answer = post(MODEL + ":generateContent", hello(1));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.frames()).hasSize(1);
    JsonNode json = answer.json();
    JsonNode candidate = json.at("/candidates/0");
    assertThat(candidate.at("/content/role").asText()).isEqualTo("model");
    assertThat(candidate.at("/content/parts/0/text").asText()).isNotBlank();
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    JsonNode usage = json.path("usageMetadata");
    assertThat(usage.path("promptTokenCount").asInt()).isEqualTo(2); // "Say hello"
    assertThat(usage.path("totalTokenCount").asInt()).isEqualTo(
        usage.path("promptTokenCount").asInt() + usage.path("candidatesTokenCount").asInt());
    assertThat(json.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(json.path("responseId").asText()).matches("[A-Za-z0-9]{23}");
    // Google pretty-prints whole bodies with "key": value.
    assertThat(answer.frames().get(0)).startsWith("{\n  \"candidates\": [\n");
  }

  @Test
  void streamCarriesTheSameTextAndUsageAsTheWholeAnswer() throws IOException {
    for (int seed = 0; seed < 10; seed++) {
      JsonNode whole = post(MODEL + ":generateContent", hello(seed)).json();
      Answer stream = post(MODEL + ":streamGenerateContent?alt=sse", hello(seed));
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.headers().get("content-type")).isEqualTo("text/event-stream");
      List<JsonNode> events = stream.events();
      StringBuilder text = new StringBuilder();
      int previous = 0;
      for (int i = 0; i < events.size(); i++) {
        JsonNode event = events.get(i);
        text.append(event.at("/candidates/0/content/parts/0/text").asText());
        int tokens = event.at("/usageMetadata/candidatesTokenCount").asInt();
        assertThat(tokens).isGreaterThanOrEqualTo(previous);
        previous = tokens;
        assertThat(event.at("/candidates/0/finishReason").isMissingNode())
            .as("finishReason only on the last event").isEqualTo(i < events.size() - 1);
        assertThat(event.path("responseId").asText())
            .isEqualTo(whole.path("responseId").asText());
      }
      assertThat(text.toString()).isEqualTo(whole.at("/candidates/0/content/parts/0/text")
          .asText());
      assertThat(events.get(events.size() - 1).path("usageMetadata"))
          .isEqualTo(whole.path("usageMetadata"));
    }
  }

  @Test
  void builtInGeminiProfilesStreamAboutFiftyTokensPerEvent() throws IOException {
    int events = 0;
    int tokens = 0;
    for (int seed = 0; seed < 40; seed++) {
      List<JsonNode> stream = post(MODEL + ":streamGenerateContent?alt=sse", hello(seed))
          .events();
      // Every event but the last is a whole chunk; the last holds only what was left.
      int previous = 0;
      for (int i = 0; i < stream.size() - 1; i++) {
        int cumulative = stream.get(i).at("/usageMetadata/candidatesTokenCount").asInt();
        tokens += cumulative - previous;
        previous = cumulative;
        events++;
      }
    }
    assertThat(events).isPositive();
    assertThat((double) tokens / Math.max(1, events)).isBetween(30.0, 90.0);
  }

  @Test
  void maxOutputTokensCutsTheAnswerWithMaxTokens() throws IOException {
    JsonNode json = post(MODEL + ":generateContent",
        "{\"contents\": [{\"parts\": [{\"text\": \"Hi\"}]}],"
            + " \"generationConfig\": {\"maxOutputTokens\": 3, \"seed\": 1}}").json();
    assertThat(json.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(json.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(3);
  }

  @Test
  void acceptsSnakeCaseFieldsAndStringIntegersAsProtoJsonDoes() throws IOException {
    JsonNode json = post(MODEL + ":generateContent",
        "{\"system_instruction\": {\"parts\": [{\"text\": \"Be terse.\"}]},"
            + " \"contents\": [{\"parts\": [{\"text\": \"Hi\"}]}],"
            + " \"generation_config\": {\"max_output_tokens\": \"2\", \"candidate_count\": 2}}")
        .json();
    assertThat(json.path("candidates")).hasSize(2);
    assertThat(json.at("/candidates/1/index").asInt()).isEqualTo(1);
    assertThat(json.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(4);
    assertThat(json.at("/usageMetadata/promptTokenCount").asInt()).isEqualTo(4);
  }

  private static final String WEATHER_TOOL =
      "{\"functionDeclarations\": [{\"name\": \"getWeather\", \"description\": \"Weather\","
          + " \"parameters\": {\"type\": \"OBJECT\", \"properties\": {"
          + " \"city\": {\"type\": \"STRING\"},"
          + " \"days\": {\"type\": \"INTEGER\", \"minimum\": 1, \"maximum\": 14},"
          + " \"unit\": {\"type\": \"STRING\", \"format\": \"enum\","
          + " \"enum\": [\"celsius\", \"fahrenheit\"]},"
          + " \"tags\": {\"type\": \"ARRAY\", \"items\": {\"type\": \"STRING\"},"
          + " \"minItems\": \"1\", \"maxItems\": \"3\"},"
          + " \"note\": {\"type\": \"STRING\", \"nullable\": true}},"
          + " \"required\": [\"city\", \"unit\", \"tags\", \"note\"],"
          + " \"propertyOrdering\": [\"city\", \"unit\"]}},"
          + " {\"name\": \"getTime\", \"parameters\": {\"type\": \"OBJECT\","
          + " \"properties\": {\"tz\": {\"type\": \"STRING\"}}, \"required\": [\"tz\"]}}]}";

  @Test
  void functionCallsHaveArgumentsValidAgainstTheNormalisedSchema() throws IOException {
    JsonNode schema = GeminiSchemas.toJsonSchema(
        JSON.readTree(WEATHER_TOOL).at("/functionDeclarations/0/parameters"));
    for (int seed = 0; seed < 25; seed++) {
      Answer answer = post(MODEL + ":generateContent",
          "{\"contents\": [{\"parts\": [{\"text\": \"Weather?\"}]}], \"tools\": [" + WEATHER_TOOL
              + "], \"toolConfig\": {\"functionCallingConfig\": {\"mode\": \"ANY\","
              + " \"allowedFunctionNames\": [\"getWeather\"]}},"
              + " \"generationConfig\": {\"seed\": " + seed + "}}");
      JsonNode candidate = answer.json().at("/candidates/0");
      assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
      JsonNode call = candidate.at("/content/parts/0/functionCall");
      assertThat(call.path("name").asText()).isEqualTo("getWeather");
      assertThat(SchemaValueGenerator.validate(schema, call.path("args"))).isEmpty();
    }
  }

  @Test
  void streamedFunctionCallIsOneEvent() throws IOException {
    Answer answer = post(MODEL + ":streamGenerateContent?alt=sse",
        "{\"contents\": [{\"parts\": [{\"text\": \"Weather?\"}]}], \"tools\": [" + WEATHER_TOOL
            + "], \"toolConfig\": {\"functionCallingConfig\": {\"mode\": \"ANY\"}},"
            + " \"generationConfig\": {\"seed\": 9}}");
    List<JsonNode> events = answer.events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).at("/candidates/0/content/parts/0/functionCall/args").isObject())
        .isTrue();
    assertThat(events.get(0).at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void callingModesDecideBetweenTextAndCalls() throws IOException {
    Set<String> called = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      String tools = "\"tools\": [" + WEATHER_TOOL + "], \"generationConfig\": {\"seed\": "
          + seed + "}";
      JsonNode none = post(MODEL + ":generateContent",
          "{\"contents\": [{\"parts\": [{\"text\": \"Hi\"}]}], " + tools
              + ", \"tool_config\": {\"function_calling_config\": {\"mode\": \"NONE\"}}}")
          .json();
      assertThat(none.at("/candidates/0/content/parts/0/text").asText()).isNotEmpty();
      JsonNode auto = post(MODEL + ":generateContent",
          "{\"contents\": [{\"parts\": [{\"text\": \"Hi\"}]}], " + tools + "}").json();
      called.add(auto.at("/candidates/0/content/parts/0/functionCall/name").asText());
      // After a function response the model answers in text.
      JsonNode after = post(MODEL + ":generateContent",
          "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Hi\"}]},"
              + " {\"role\": \"model\", \"parts\": [{\"functionCall\": {\"name\": \"getTime\","
              + " \"args\": {\"tz\": \"UTC\"}}}]},"
              + " {\"role\": \"user\", \"parts\": [{\"functionResponse\": {\"name\": \"getTime\","
              + " \"response\": {\"time\": \"12:00\"}}}]}], " + tools + "}").json();
      assertThat(after.at("/candidates/0/content/parts/0/text").asText()).isNotEmpty();
    }
    assertThat(called).containsExactlyInAnyOrder("getWeather", "getTime");
  }

  @Test
  void structuredOutputFollowsTheResponseSchema() throws IOException {
    String schema = "{\"type\": \"OBJECT\", \"properties\": {\"city\": {\"type\": \"STRING\"},"
        + " \"population\": {\"type\": \"INTEGER\", \"minimum\": 0}},"
        + " \"required\": [\"city\", \"population\"]}";
    JsonNode json = post(MODEL + ":generateContent",
        "{\"contents\": [{\"parts\": [{\"text\": \"Oslo?\"}]}], \"generationConfig\": {"
            + "\"responseMimeType\": \"application/json\", \"responseSchema\": " + schema + "}}")
        .json();
    JsonNode answer = JSON.readTree(json.at("/candidates/0/content/parts/0/text").asText());
    assertThat(SchemaValueGenerator.validate(
        GeminiSchemas.toJsonSchema(JSON.readTree(schema)), answer)).isEmpty();

    JsonNode jsonSchema = JSON.readTree("{\"type\": \"object\", \"properties\": {\"ok\":"
        + " {\"type\": \"boolean\"}}, \"required\": [\"ok\"], \"additionalProperties\": false}");
    json = post(MODEL + ":generateContent",
        "{\"contents\": [{\"parts\": [{\"text\": \"ok?\"}]}], \"generationConfig\": {"
            + "\"responseMimeType\": \"application/json\", \"responseJsonSchema\": "
            + jsonSchema + "}}").json();
    answer = JSON.readTree(json.at("/candidates/0/content/parts/0/text").asText());
    assertThat(SchemaValueGenerator.validate(jsonSchema, answer)).isEmpty();

    json = post(MODEL + ":generateContent",
        "{\"contents\": [{\"parts\": [{\"text\": \"Colour?\"}]}], \"generationConfig\": {"
            + "\"responseMimeType\": \"text/x.enum\", \"responseSchema\": {\"type\": \"STRING\","
            + " \"enum\": [\"red\", \"green\", \"blue\"]}}}").json();
    assertThat(json.at("/candidates/0/content/parts/0/text").asText())
        .isIn("red", "green", "blue");
  }

  @Test
  void countTokensMatchesThePromptCountOfGenerateContent() throws IOException {
    String contents = "\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"The quick"
        + " brown fox\"}, {\"inlineData\": {\"mimeType\": \"image/png\", \"data\": \"AAAA\"}}]}]";
    JsonNode count = post(MODEL + ":countTokens", "{" + contents + "}").json();
    assertThat(count.path("totalTokens").asInt()).isEqualTo(4 + 258);
    assertThat(count.at("/promptTokensDetails/1/modality").asText()).isEqualTo("IMAGE");
    JsonNode generated = post(MODEL + ":generateContent", "{" + contents + "}").json();
    assertThat(generated.at("/usageMetadata/promptTokenCount").asInt())
        .isEqualTo(count.path("totalTokens").asInt());

    JsonNode nested = post(MODEL + ":countTokens",
        "{\"generateContentRequest\": {\"model\": \"models/gemini-2.5-flash\","
            + " \"systemInstruction\": {\"parts\": [{\"text\": \"Be terse.\"}]}, " + contents
            + "}}").json();
    assertThat(nested.path("totalTokens").asInt()).isGreaterThan(count.path("totalTokens")
        .asInt());
  }

  @Test
  void listsAndGetsModelsWithPaging() throws IOException {
    JsonNode first = send("GET", "/v1beta/models?pageSize=2", "").json();
    assertThat(first.path("models")).hasSize(2);
    assertThat(first.at("/models/0/name").asText()).startsWith("models/gemini-");
    String token = first.path("nextPageToken").asText();
    assertThat(token).isNotEmpty();
    JsonNode rest = send("GET", "/v1beta/models?pageSize=100&pageToken=" + token, "").json();
    assertThat(rest.has("nextPageToken")).isFalse();
    List<String> names = new ArrayList<>();
    first.path("models").forEach(m -> names.add(m.path("name").asText()));
    rest.path("models").forEach(m -> names.add(m.path("name").asText()));
    assertThat(names).contains("models/gemini-2.5-flash", "models/gemini-2.5-pro")
        .doesNotHaveDuplicates();

    JsonNode model = send("GET", "/v1beta/models/gemini-2.5-flash", "").json();
    assertThat(model.path("name").asText()).isEqualTo("models/gemini-2.5-flash");
    assertThat(model.path("displayName").asText()).isEqualTo("Gemini 2.5 Flash");
    assertThat(model.path("inputTokenLimit").asInt()).isEqualTo(1_048_576);
    assertThat(model.path("outputTokenLimit").asInt()).isEqualTo(65_536);
    assertThat(model.path("supportedGenerationMethods").toString())
        .contains("generateContent", "countTokens");

    JsonNode missing = error(send("GET", "/v1beta/models/gemini-9", ""), 404, "NOT_FOUND");
    assertThat(missing.path("message").asText()).contains("models/gemini-9");
    error(send("GET", "/v1beta/models?pageToken=bogus", ""), 400, "INVALID_ARGUMENT");
  }

  @Test
  void routesPrefixedVersionedAndSharedPaths() throws IOException {
    assertThat(post("/gemini" + MODEL + ":generateContent", hello(1)).status()).isEqualTo(200);
    assertThat(post("/v1/models/gemini-2.5-flash:generateContent", hello(1)).status())
        .isEqualTo(200);
    // GET /v1/models is OpenAI's unless a Google key comes with it.
    assertThat(send("GET", "/v1/models", "").json().path("object").asText()).isEqualTo("list");
    assertThat(send("GET", "/v1/models", "", "x-goog-api-key", "k").json().has("models"))
        .isTrue();
    assertThat(send("GET", "/v1/models?key=k", "").json().has("models")).isTrue();
    assertThat(send("GET", "/v1/models/gemini-2.5-flash?key=k", "").json().path("name")
        .asText()).isEqualTo("models/gemini-2.5-flash");
    // Unknown paths come back in Google's shape when they look like Gemini's.
    error(post("/v1beta/models/gemini-2.5-flash:embedSomething", "{}"), 404, "NOT_FOUND");
    error(send("GET", "/nowhere", "", "x-goog-api-key", "k"), 404, "NOT_FOUND");
    error(send("GET", "/gemini/nowhere", ""), 404, "NOT_FOUND");
    error(send("GET", MODEL + ":generateContent", ""), 404, "NOT_FOUND");
  }

  @Test
  void refusesBadRequestsNamingTheField() throws IOException {
    String contents = "\"contents\": [{\"parts\": [{\"text\": \"Hi\"}]}]";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{}", "contents");
    cases.put("", "contents");
    cases.put("{\"contents\": []}", "contents");
    cases.put("{\"contents\": [{\"parts\": []}]}", "contents[0].parts");
    cases.put("{\"contents\": [{\"parts\": [{}]}]}", "contents[0].parts[0].data");
    cases.put("{\"contents\": [{\"parts\": [{\"text\": 3}]}]}", "contents[0].parts[0].text");
    cases.put("{\"contents\": [{\"role\": \"assistant\", \"parts\": [{\"text\": \"x\"}]}]}",
        "valid role");
    cases.put("{" + contents + ", \"generationConfig\": {\"temperature\": 3}}",
        "generation_config.temperature");
    cases.put("{" + contents + ", \"generationConfig\": {\"maxOutputTokens\": 0}}",
        "generation_config.max_output_tokens");
    cases.put("{" + contents + ", \"generationConfig\": {\"maxOutputTokens\": 70000}}",
        "maxOutputTokens value of 70000");
    cases.put("{" + contents + ", \"generationConfig\": {\"candidateCount\": 9}}",
        "generation_config.candidate_count");
    cases.put("{" + contents + ", \"generationConfig\": {\"maxOutputTokens\": \"many\"}}",
        "generation_config.max_output_tokens");
    cases.put("{" + contents + ", \"generationConfig\": {\"responseSchema\": {\"type\":"
        + " \"OBJECT\"}}}", "generation_config.response_schema");
    cases.put("{" + contents + ", \"generationConfig\": {\"responseMimeType\": \"text/html\"}}",
        "generation_config.response_mime_type");
    cases.put("{" + contents + ", \"tools\": [{\"functionDeclarations\": [{\"name\":"
        + " \"1bad name\"}]}]}", "tools[0].function_declarations[0].name");
    cases.put("{" + contents + ", \"tools\": [" + WEATHER_TOOL + "], \"toolConfig\":"
        + " {\"functionCallingConfig\": {\"mode\": \"SOMETIMES\"}}}",
        "tool_config.function_calling_config.mode");
    cases.put("{" + contents + ", \"tools\": [" + WEATHER_TOOL + "], \"toolConfig\":"
        + " {\"functionCallingConfig\": {\"mode\": \"ANY\", \"allowedFunctionNames\":"
        + " [\"nope\"]}}}", "tool_config.function_calling_config.allowed_function_names");
    cases.put("{" + contents + ", \"toolConfig\": {\"functionCallingConfig\": {\"mode\":"
        + " \"ANY\"}}}", "function_declarations");
    cases.put("[1]", "Root element must be a message");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      JsonNode error = error(post(MODEL + ":generateContent", c.getKey()), 400,
          "INVALID_ARGUMENT");
      assertThat(error.path("message").asText()).as(c.getKey()).contains(c.getValue());
    }
    JsonNode syntax = error(post(MODEL + ":generateContent", "{\"contents\": [}"), 400,
        "INVALID_ARGUMENT");
    assertThat(syntax.path("message").asText()).startsWith("Invalid JSON payload received.");
    JsonNode alt = error(post(MODEL + ":streamGenerateContent?alt=proto", hello(1)), 400,
        "INVALID_ARGUMENT");
    assertThat(alt.path("message").asText()).contains("'alt'");
  }

  @Test
  void simulationModeErrorsComeInGoogleShape() throws IOException {
    error(send("POST", MODEL + ":generateContent", hello(1), "x-simulation-mode", "replay; take=0"),
        400, "INVALID_ARGUMENT");
    JsonNode profile = error(send("POST", MODEL + ":generateContent", hello(1),
        "x-simulation-mode", "synthesize; profile=nope"), 400, "INVALID_ARGUMENT");
    assertThat(profile.path("message").asText()).contains("nope");
  }

  @Test
  void dialectMapsEveryKindToGoogleStatus() throws IOException {
    Map<ApiError.Kind, String> expected = new LinkedHashMap<>();
    expected.put(ApiError.Kind.INVALID_REQUEST, "400 INVALID_ARGUMENT");
    expected.put(ApiError.Kind.AUTHENTICATION, "401 UNAUTHENTICATED");
    expected.put(ApiError.Kind.PERMISSION, "403 PERMISSION_DENIED");
    expected.put(ApiError.Kind.NOT_FOUND, "404 NOT_FOUND");
    expected.put(ApiError.Kind.METHOD_NOT_ALLOWED, "404 NOT_FOUND");
    expected.put(ApiError.Kind.TOO_LARGE, "400 INVALID_ARGUMENT");
    expected.put(ApiError.Kind.RATE_LIMIT, "429 RESOURCE_EXHAUSTED");
    expected.put(ApiError.Kind.SERVER, "500 INTERNAL");
    expected.put(ApiError.Kind.UNAVAILABLE, "503 UNAVAILABLE");
    expected.put(ApiError.Kind.OVERLOADED, "503 UNAVAILABLE");
    for (Map.Entry<ApiError.Kind, String> e : expected.entrySet()) {
      ResponsePlan plan = GeminiDialect.INSTANCE.error(ApiError.of(e.getKey(), "boom"));
      JsonNode error = JSON.readTree(plan.frames().next().bytes()).get("error");
      assertThat(plan.status() + " " + error.path("status").asText())
          .as(e.getKey().name()).isEqualTo(e.getValue());
      assertThat(error.path("code").asInt()).isEqualTo(plan.status());
      assertThat(error.path("message").asText()).isEqualTo("boom");
    }
    ResponsePlan timeout = GeminiDialect.INSTANCE.error(
        ApiError.of(ApiError.Kind.SERVER, "slow").withStatus(504));
    assertThat(JSON.readTree(timeout.frames().next().bytes()).at("/error/status").asText())
        .isEqualTo("DEADLINE_EXCEEDED");
  }
}
