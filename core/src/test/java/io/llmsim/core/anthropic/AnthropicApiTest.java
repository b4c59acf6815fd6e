package io.llmsim.core.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Providers;
import io.llmsim.core.api.Router;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.generate.SchemaValueGenerator;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.SynthesisSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic Messages API through the router, without sockets: answers, streams, validation,
 * token counting, models, error shapes, and sharing {@code /v1/models} with OpenAI.
 */
class AnthropicApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_767_225_600L;
  private static final String[] ANTHROPIC = {"anthropic-version", "2023-06-01",
      "x-api-key", "sk-ant-test"};
  private static final String WEATHER_SCHEMA = """
      {"type": "object", "additionalProperties": false,
       "properties": {"city": {"type": "string"},
         "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
         "days": {"type": "integer", "minimum": 1, "maximum": 14}},
       "required": ["city", "unit"]}""";

  private final Router router = new Router(
      Providers.all(new ApiConfig(
          new SynthesisSettings(ProfileCatalog.builtIn(), Generators.lorem(), "instant",
              Speed.NORMAL),
          List.of("my-model"))),
      (request, e) -> fail("unexpected failure for " + request.path(), e));

  private static ApiRequest request(String method, String uri, String body, String... headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    return new ApiRequest(method, uri, map,
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), NOW);
  }

  private ResponsePlan post(String uri, String body, String... headers) {
    return router.route(request("POST", uri, body, headers));
  }

  private ResponsePlan get(String uri, String... headers) {
    return router.route(request("GET", uri, null, headers));
  }

  private static String[] seeded(long seed) {
    return new String[] {"anthropic-version", "2023-06-01", "x-api-key", "sk-ant-test",
        "x-simulation-mode", "synthesize; seed=" + seed};
  }

  private static JsonNode json(ResponsePlan plan) throws IOException {
    assertThat(plan.streaming()).isFalse();
    return JSON.readTree(plan.frames().next().bytes());
  }

  private static String header(ResponsePlan plan, String name) {
    return plan.headers().stream().filter(h -> h.getKey().equals(name))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  /** The error of an Anthropic error answer, after checking its shape and request id. */
  private static JsonNode error(ResponsePlan plan, int status) throws IOException {
    assertThat(plan.status()).isEqualTo(status);
    assertThat(header(plan, "content-type")).isEqualTo("application/json");
    JsonNode body = json(plan);
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.get("request_id").asText()).isEqualTo(header(plan, "request-id"))
        .matches("req_011C[A-Za-z0-9]{20}");
    return body.get("error");
  }

  /** The data of every event of a stream. */
  private static List<JsonNode> events(ResponsePlan plan) throws IOException {
    assertThat(plan.streaming()).isTrue();
    List<JsonNode> events = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      String text = new String(f.bytes(), StandardCharsets.UTF_8);
      events.add(JSON.readTree(text.substring(text.indexOf("data: ") + 6)));
    }
    return events;
  }

  /** The text a client accumulates from a stream's text deltas. */
  private static String streamedText(List<JsonNode> events, String deltaType, String field) {
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events) {
      if (e.get("type").asText().equals("content_block_delta")
          && e.at("/delta/type").asText().equals(deltaType)) {
        text.append(e.at("/delta/" + field).asText());
      }
    }
    return text.toString();
  }

  private static String streaming(String body) {
    return "{\"stream\":true," + body.substring(1);
  }

  private static String hello(String extra) {
    return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]" + extra + "}";
  }

  @Test
  void answersAMessageInAnthropicsShape() throws IOException {
    // Seeded: unseeded, the drawn length (lognormal, median 120, p90 400 tokens) passes
    // max_tokens (1024) in about one run in a hundred, and this test is about an answer that
    // ended on its own.
    ResponsePlan plan = post("/v1/messages", hello(""), seeded(3));
    assertThat(plan.status()).isEqualTo(200);
    assertThat(header(plan, "content-type")).isEqualTo("application/json");
    assertThat(header(plan, "request-id")).matches("req_011C[A-Za-z0-9]{20}");
    for (String bucket : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
      String prefix = "anthropic-ratelimit-" + bucket + "-";
      assertThat(Long.parseLong(header(plan, prefix + "remaining")))
          .isLessThanOrEqualTo(Long.parseLong(header(plan, prefix + "limit")));
      assertThat(Instant.parse(header(plan, prefix + "reset")).getEpochSecond())
          .isGreaterThan(NOW);
    }
    JsonNode message = json(plan);
    assertThat(message.get("id").asText()).matches("msg_01[A-Za-z0-9]{22}");
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("role").asText()).isEqualTo("assistant");
    assertThat(message.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(message.get("content")).hasSize(1);
    assertThat(message.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(message.at("/content/0/text").asText()).isNotBlank();
    assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(message.get("stop_sequence").isNull()).isTrue();
    JsonNode usage = message.get("usage");
    assertThat(usage.get("input_tokens").asInt()).isEqualTo(9); // 4 + 3 framing + 2 of text
    assertThat(usage.get("output_tokens").asInt()).isPositive();
    assertThat(usage.get("cache_creation_input_tokens").asInt()).isZero();
    assertThat(usage.get("cache_read_input_tokens").asInt()).isZero();
  }

  @Test
  void streamSaysWhatTheWholeAnswerSaysWithTheSameSeed() throws IOException {
    for (long seed = 0; seed < 10; seed++) {
      JsonNode whole = json(post("/v1/messages", hello(""), seeded(seed)));
      ResponsePlan plan = post("/v1/messages", hello(",\"stream\":true"), seeded(seed));
      assertThat(header(plan, "content-type")).isEqualTo("text/event-stream; charset=utf-8");
      List<JsonNode> events = events(plan);
      assertThat(streamedText(events, "text_delta", "text"))
          .isEqualTo(whole.at("/content/0/text").asText());
      JsonNode start = events.get(0).get("message");
      assertThat(start.get("id").asText()).isEqualTo(whole.get("id").asText());
      assertThat(start.at("/usage/input_tokens").asInt())
          .isEqualTo(whole.at("/usage/input_tokens").asInt());
      assertThat(start.at("/usage/output_tokens").asInt()).isEqualTo(1);
      JsonNode delta = events.get(events.size() - 2);
      assertThat(delta.at("/usage/output_tokens").asInt())
          .isEqualTo(whole.at("/usage/output_tokens").asInt());
      assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    }
  }

  @Test
  void streamDeltasCarrySeveralTokensWithTheAnthropicProfiles() throws IOException {
    AnthropicMessages messages = new AnthropicMessages(SynthesisSettings.defaults(),
        AnthropicModels.builtIn());
    ResponsePlan plan = messages.create(JSON.readTree(hello(",\"stream\":true")),
        new io.llmsim.core.synth.RequestOptions(null, 3L, Speed.MAX), NOW);
    List<JsonNode> events = events(plan);
    long deltas = events.stream()
        .filter(e -> e.at("/delta/type").asText().equals("text_delta")).count();
    int outputTokens = events.get(events.size() - 2).at("/usage/output_tokens").asInt();
    assertThat(outputTokens).isGreaterThan(10);
    assertThat((double) outputTokens / deltas).isGreaterThan(2.0);
  }

  @Test
  void maxTokensCutsTheAnswer() throws IOException {
    JsonNode message = json(post("/v1/messages", hello("").replace("1024", "3"), seeded(1)));
    assertThat(message.get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void stopSequencesEndTheAnswerBeforeThem() throws IOException {
    int stopped = 0;
    for (long seed = 0; seed < 20; seed++) {
      String body = hello(",\"stop_sequences\":[\"zzz\", \".\"]");
      JsonNode message = json(post("/v1/messages", body, seeded(seed)));
      if (!message.get("stop_reason").asText().equals("stop_sequence")) {
        continue;
      }
      stopped++;
      assertThat(message.get("stop_sequence").asText()).isEqualTo(".");
      String text = message.at("/content/0/text").asText();
      assertThat(text).doesNotContain(".");
      List<JsonNode> events =
          events(post("/v1/messages", streaming(body), seeded(seed)));
      assertThat(streamedText(events, "text_delta", "text")).isEqualTo(text);
      assertThat(events.get(events.size() - 2).at("/delta/stop_sequence").asText())
          .isEqualTo(".");
    }
    assertThat(stopped).as("lorem sentences end with a full stop").isGreaterThan(10);
  }

  @Test
  void thinkingComesBeforeTheAnswerWithASignature() throws IOException {
    String body = hello(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}")
        .replace("1024,", "2048,");
    JsonNode message = json(post("/v1/messages", body, seeded(4)));
    JsonNode content = message.get("content");
    assertThat(content).hasSize(2);
    assertThat(content.get(0).get("type").asText()).isEqualTo("thinking");
    assertThat(content.get(0).get("thinking").asText()).isNotBlank();
    assertThat(content.get(0).get("signature").asText()).matches("[A-Za-z0-9+/=]{100,}");
    assertThat(content.get(1).get("type").asText()).isEqualTo("text");

    List<JsonNode> events =
        events(post("/v1/messages", streaming(body), seeded(4)));
    assertThat(streamedText(events, "thinking_delta", "thinking"))
        .isEqualTo(content.get(0).get("thinking").asText());
    assertThat(streamedText(events, "signature_delta", "signature"))
        .isEqualTo(content.get(0).get("signature").asText());
    assertThat(streamedText(events, "text_delta", "text"))
        .isEqualTo(content.get(1).get("text").asText());
    assertThat(events.get(events.size() - 2).at("/usage/output_tokens").asInt())
        .isEqualTo(message.at("/usage/output_tokens").asInt());
  }

  @Test
  void thinkingCountsTowardsMaxTokens() throws IOException {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1100,"
        + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1099},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    for (long seed = 0; seed < 10; seed++) {
      JsonNode message = json(post("/v1/messages", body, seeded(seed)));
      assertThat(message.at("/usage/output_tokens").asInt()).isLessThanOrEqualTo(1100);
    }
  }

  @Test
  void callsToolsWithSchemaValidInput() throws IOException {
    JsonNode schema = JSON.readTree(WEATHER_SCHEMA);
    for (long seed = 0; seed < 20; seed++) {
      String body = hello(",\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\","
          + "\"input_schema\":" + WEATHER_SCHEMA + "}],\"tool_choice\":{\"type\":\"any\"}");
      JsonNode message = json(post("/v1/messages", body, seeded(seed)));
      assertThat(message.get("stop_reason").asText()).isEqualTo("tool_use");
      JsonNode block = message.at("/content/0");
      assertThat(block.get("type").asText()).isEqualTo("tool_use");
      assertThat(block.get("id").asText()).matches("toolu_01[A-Za-z0-9]{22}");
      assertThat(block.get("name").asText()).isEqualTo("get_weather");
      assertThat(SchemaValueGenerator.validate(schema, block.get("input"))).isEmpty();

      List<JsonNode> events =
          events(post("/v1/messages", streaming(body), seeded(seed)));
      JsonNode start = events.stream()
          .filter(e -> e.get("type").asText().equals("content_block_start")).findFirst()
          .orElseThrow();
      assertThat(start.at("/content_block/id").asText()).isEqualTo(block.get("id").asText());
      assertThat(start.at("/content_block/input").isEmpty()).isTrue();
      assertThat(JSON.readTree(streamedText(events, "input_json_delta", "partial_json")))
          .isEqualTo(block.get("input"));
    }
  }

  @Test
  void answersInTextAfterToolResults() throws IOException {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":512,"
        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + WEATHER_SCHEMA + "}],"
        + "\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01x\","
        + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01x\","
        + "\"content\":\"18C, cloudy\"}]}]}";
    for (long seed = 0; seed < 5; seed++) {
      JsonNode message = json(post("/v1/messages", body, seeded(seed)));
      assertThat(message.get("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(message.at("/content/0/type").asText()).isEqualTo("text");
    }
  }

  @Test
  void validationErrorsNameTheField() throws IOException {
    JsonNode missingMax = error(post("/v1/messages",
        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        ANTHROPIC), 400);
    assertThat(missingMax.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(missingMax.get("message").asText()).isEqualTo("max_tokens: Field required");
    assertThat(error(post("/v1/messages",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]}", ANTHROPIC), 400)
        .get("message").asText()).isEqualTo("messages.0.content: Field required");
    assertThat(error(post("/v1/messages",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}", ANTHROPIC), 400)
        .get("message").asText()).contains("at least one message");
    assertThat(error(post("/v1/messages",
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}",
        ANTHROPIC), 400).get("message").asText()).startsWith("messages.0.role:");
    assertThat(error(post("/v1/messages", "{\"max_tokens\":5}", ANTHROPIC), 400)
        .get("message").asText()).isEqualTo("model: Field required");
    assertThat(error(post("/v1/messages", hello(",\"temperature\":1.5"), ANTHROPIC), 400)
        .get("message").asText()).startsWith("temperature:");
    assertThat(error(post("/v1/messages", hello(",\"tool_choice\":{\"type\":\"any\"}"),
        ANTHROPIC), 400).get("message").asText()).contains("tool_choice");
    assertThat(error(post("/v1/messages", hello("").replace("1024", "100000"), ANTHROPIC), 400)
        .get("message").asText())
        .isEqualTo("max_tokens: 100000 > 64000, which is the maximum allowed number of output"
            + " tokens for claude-sonnet-4-5-20250929");
    assertThat(error(post("/v1/messages",
        hello(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100}"), ANTHROPIC), 400)
        .get("message").asText()).startsWith("thinking.enabled.budget_tokens:");
    assertThat(error(post("/v1/messages",
        hello(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}"), ANTHROPIC), 400)
        .get("message").asText()).contains("max_tokens").contains("budget_tokens");
    assertThat(error(post("/v1/messages", "{\"model\": ", ANTHROPIC), 400)
        .get("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void anthropicVersionIsRequired() throws IOException {
    JsonNode e = error(post("/v1/messages", hello(""), "x-api-key", "k"), 400);
    assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(e.get("message").asText()).isEqualTo("anthropic-version: header is required");
    assertThat(error(post("/v1/messages", hello(""), "anthropic-version", "latest"), 400)
        .get("message").asText()).startsWith("anthropic-version:");
    // Under the prefix the shared models path is Anthropic's, and the header still required.
    assertThat(error(get("/anthropic/v1/models"), 400).get("message").asText())
        .isEqualTo("anthropic-version: header is required");
  }

  @Test
  void countsTokensAsTheAnswerReportsThem() throws IOException {
    String body = hello(",\"system\":[{\"type\":\"text\",\"text\":\"Be terse.\"}],"
        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + WEATHER_SCHEMA + "}]");
    ResponsePlan plan = post("/v1/messages/count_tokens?beta=true", body, ANTHROPIC);
    assertThat(plan.status()).isEqualTo(200);
    int counted = json(plan).get("input_tokens").asInt();
    JsonNode message = json(post("/v1/messages", body, ANTHROPIC));
    assertThat(counted).isEqualTo(message.at("/usage/input_tokens").asInt());
    // Offering tools costs Anthropic's tool system prompt on top of the definitions.
    int plain = json(post("/v1/messages/count_tokens", hello(""), ANTHROPIC))
        .get("input_tokens").asInt();
    assertThat(counted - plain).isGreaterThan(AnthropicTokens.TOOLS_AUTO);
    // count_tokens takes no max_tokens.
    assertThat(post("/v1/messages/count_tokens",
        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        ANTHROPIC).status()).isEqualTo(200);
  }

  @Test
  void sharesModelsWithOpenAiByHeaders() throws IOException {
    JsonNode anthropic = json(get("/v1/models", ANTHROPIC));
    assertThat(anthropic.get("has_more").asBoolean()).isFalse();
    assertThat(anthropic.get("data").get(0).get("type").asText()).isEqualTo("model");
    List<String> ids = new ArrayList<>();
    anthropic.get("data").forEach(m -> ids.add(m.get("id").asText()));
    assertThat(ids).contains("claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805",
        "claude-haiku-4-5-20251001", "claude-3-5-haiku-20241022", "my-model");
    assertThat(anthropic.get("first_id").asText()).isEqualTo(ids.get(0));
    assertThat(anthropic.get("last_id").asText()).isEqualTo(ids.get(ids.size() - 1));
    anthropic.get("data").forEach(m -> {
      assertThat(m.get("display_name").asText()).isNotBlank();
      Instant.parse(m.get("created_at").asText());
    });

    JsonNode openAi = json(get("/v1/models", "authorization", "Bearer sk-test"));
    assertThat(openAi.get("object").asText()).isEqualTo("list");
    assertThat(json(get("/anthropic/v1/models", "anthropic-version", "2023-06-01"))
        .get("data")).isEqualTo(anthropic.get("data"));
  }

  @Test
  void pagesThroughModels() throws IOException {
    List<String> all = new ArrayList<>();
    json(get("/v1/models?limit=1000", ANTHROPIC)).get("data")
        .forEach(m -> all.add(m.get("id").asText()));
    List<String> paged = new ArrayList<>();
    String after = null;
    while (true) {
      JsonNode page = json(get("/v1/models?limit=2" + (after == null ? "" : "&after_id=" + after),
          ANTHROPIC));
      page.get("data").forEach(m -> paged.add(m.get("id").asText()));
      if (!page.get("has_more").asBoolean()) {
        break;
      }
      after = page.get("last_id").asText();
    }
    assertThat(paged).isEqualTo(all);
    JsonNode before = json(get("/v1/models?limit=2&before_id=" + all.get(3), ANTHROPIC));
    assertThat(before.get("first_id").asText()).isEqualTo(all.get(1));
    assertThat(before.get("last_id").asText()).isEqualTo(all.get(2));
    assertThat(error(get("/v1/models?limit=0", ANTHROPIC), 400).get("message").asText())
        .startsWith("limit:");
  }

  @Test
  void retrievesModelsByIdOrAlias() throws IOException {
    JsonNode model = json(get("/v1/models/claude-sonnet-4-5", ANTHROPIC));
    assertThat(model.get("id").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(model.get("display_name").asText()).isEqualTo("Claude Sonnet 4.5");
    assertThat(model.get("created_at").asText()).isEqualTo("2025-09-29T00:00:00Z");
    JsonNode e = error(get("/anthropic/v1/models/claude-nope", ANTHROPIC), 404);
    assertThat(e.get("type").asText()).isEqualTo("not_found_error");
    assertThat(e.get("message").asText()).contains("claude-nope");
  }

  @Test
  void answersUnderThePrefixAndWithBetaQuery() throws IOException {
    assertThat(json(post("/anthropic/v1/messages", hello(""), ANTHROPIC)).get("type").asText())
        .isEqualTo("message");
    assertThat(json(post("/v1/messages?beta=true", hello(""), ANTHROPIC)).get("type").asText())
        .isEqualTo("message");
  }

  @Test
  void unknownPathsAndMethodsAnswerInAnthropicsShape() throws IOException {
    assertThat(error(post("/v1/nothing", "{}", ANTHROPIC), 404).get("type").asText())
        .isEqualTo("not_found_error");
    assertThat(error(post("/anthropic/v1/nothing", "{}"), 404).get("type").asText())
        .isEqualTo("not_found_error");
    assertThat(error(get("/v1/messages", ANTHROPIC), 405).get("type").asText())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void dialectMapsEveryKindToAnthropicsTypeAndStatus() throws IOException {
    Map<ApiError.Kind, String> expected = Map.of(
        ApiError.Kind.INVALID_REQUEST, "invalid_request_error",
        ApiError.Kind.AUTHENTICATION, "authentication_error",
        ApiError.Kind.PERMISSION, "permission_error",
        ApiError.Kind.NOT_FOUND, "not_found_error",
        ApiError.Kind.TOO_LARGE, "request_too_large",
        ApiError.Kind.RATE_LIMIT, "rate_limit_error",
        ApiError.Kind.SERVER, "api_error",
        ApiError.Kind.OVERLOADED, "overloaded_error");
    for (Map.Entry<ApiError.Kind, String> entry : expected.entrySet()) {
      ResponsePlan plan = AnthropicDialect.INSTANCE.error(ApiError.of(entry.getKey(), "boom"));
      JsonNode e = error(plan, entry.getKey().status());
      assertThat(e.get("type").asText()).isEqualTo(entry.getValue());
      assertThat(e.get("message").asText()).isEqualTo("boom");
    }
    // Another provider's own type means nothing here; Anthropic's own is kept.
    ApiError openAiType =
        new ApiError(ApiError.Kind.RATE_LIMIT, 429, "tokens", null, null, "slow down");
    assertThat(error(AnthropicDialect.INSTANCE.error(openAiType), 429).get("type").asText())
        .isEqualTo("rate_limit_error");
    ApiError billing =
        new ApiError(ApiError.Kind.PERMISSION, 402, "billing_error", null, null, "pay");
    assertThat(error(AnthropicDialect.INSTANCE.error(billing), 402).get("type").asText())
        .isEqualTo("billing_error");
  }

  @Test
  void errorsFoundOutsideEndpointsAnswerInAnthropicsShape() throws IOException {
    ApiError tooLarge = new ApiError(ApiError.Kind.TOO_LARGE, 413, null, "request_too_large",
        null, "Request exceeds the maximum allowed number of bytes.");
    assertThat(error(router.error(request("POST", "/v1/messages", "", ANTHROPIC), tooLarge), 413)
        .get("type").asText()).isEqualTo("request_too_large");
    assertThat(error(router.error(request("POST", "/anthropic/v1/messages", ""), tooLarge), 413)
        .get("type").asText()).isEqualTo("request_too_large");
    JsonNode badMode = error(post("/v1/messages", hello(""), "anthropic-version", "2023-06-01",
        "x-simulation-mode", "synthesize; seed=x"), 400);
    assertThat(badMode.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(badMode.get("message").asText()).startsWith("x-simulation-mode:");
  }

  @Test
  void midStreamErrorIsAnErrorEvent() {
    byte[] event = AnthropicErrors.streamEvent(ApiError.of(ApiError.Kind.OVERLOADED, "Overloaded"));
    assertThat(new String(event, StandardCharsets.UTF_8)).isEqualTo(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Overloaded\"}}\n\n");
  }

  @Test
  void openAiRequestsAreUntouched() throws IOException {
    ResponsePlan plan = post("/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer sk");
    assertThat(json(plan).get("object").asText()).isEqualTo("chat.completion");
    JsonNode error = json(post("/v1/nothing", "{}", "authorization", "Bearer sk"));
    assertThat(error.get("error").has("param")).isTrue();
  }
}
