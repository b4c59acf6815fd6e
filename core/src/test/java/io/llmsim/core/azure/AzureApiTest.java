package io.llmsim.core.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Providers;
import io.llmsim.core.api.Router;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.SynthesisSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Azure OpenAI's paths, deployments, api-version rules, headers and errors, through the router. */
class AzureApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SynthesisSettings INSTANT =
      new SynthesisSettings(ProfileCatalog.builtIn(), Generators.lorem(), "instant", Speed.NORMAL);
  private static final String CHAT =
      "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"seed\": 1}";

  private static Router router(Map<String, String> deployments) {
    return new Router(Providers.all(new ApiConfig(INSTANT, List.of(), deployments)),
        (request, e) -> {
          throw new AssertionError("unexpected failure", e);
        });
  }

  private static ResponsePlan post(Router router, String uri, String body, String... headers) {
    Map<String, String> h = new java.util.LinkedHashMap<>();
    h.put("content-type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return router.route(new ApiRequest("POST", uri, h, body.getBytes(StandardCharsets.UTF_8),
        1_767_225_600L));
  }

  private static String header(ResponsePlan plan, String name) {
    return plan.headers().stream().filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  private static JsonNode body(ResponsePlan plan) throws IOException {
    return JSON.readTree(plan.frames().next().bytes());
  }

  @Test
  void deploymentNamesTheModelWhenNoMappingIsConfigured() throws IOException {
    ResponsePlan plan = post(router(Map.of()),
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", CHAT,
        "api-key", "azure-key", "x-ms-client-request-id", "client-1");
    assertThat(plan.status()).isEqualTo(200);
    JsonNode body = body(plan);
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(header(plan, "apim-request-id")).matches("[0-9a-f-]{36}");
    assertThat(header(plan, "x-request-id")).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    assertThat(header(plan, "x-ms-region")).isNotBlank();
    assertThat(header(plan, "x-ms-client-request-id")).isEqualTo("client-1");
    assertThat(header(plan, "x-ms-deployment-name")).isEqualTo("gpt-4o");
    assertThat(header(plan, "x-ratelimit-remaining-tokens")).isNotNull();
    assertThat(header(plan, "openai-version")).isNull();
    assertThat(header(plan, "x-ratelimit-limit-requests")).isNull();
  }

  @Test
  void mappedDeploymentAnswersAsItsModelAndUnknownOnesAre404() throws IOException {
    Router router = router(Map.of("prod-chat", "gpt-4o-mini", "embed", "text-embedding-3-large"));
    ResponsePlan chat = post(router,
        "/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21",
        "{\"model\": \"ignored\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(body(chat).get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");

    ResponsePlan embed = post(router,
        "/openai/deployments/embed/embeddings?api-version=2024-10-21", "{\"input\": \"x\"}");
    assertThat(body(embed).at("/data/0/embedding")).hasSize(3072);

    ResponsePlan missing = post(router,
        "/openai/deployments/nope/chat/completions?api-version=2024-10-21", CHAT);
    assertThat(missing.status()).isEqualTo(404);
    JsonNode error = body(missing).get("error");
    assertThat(error.get("code").asText()).isEqualTo("DeploymentNotFound");
    assertThat(error.has("type")).isFalse();
    assertThat(header(missing, "apim-request-id")).isNotNull();
  }

  @Test
  void apiVersionIsRequiredAndMustBeDated() throws IOException {
    Router router = router(Map.of());
    ResponsePlan none = post(router, "/openai/deployments/gpt-4o/chat/completions", CHAT);
    assertThat(none.status()).isEqualTo(404);
    assertThat(body(none)).isEqualTo(
        JSON.readTree("{\"error\": {\"code\": \"404\", \"message\": \"Resource not found\"}}"));

    ResponsePlan bad = post(router,
        "/openai/deployments/gpt-4o/completions?api-version=yesterday", "{\"prompt\": \"x\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(body(bad)).isEqualTo(JSON.readTree(
        "{\"error\": {\"code\": \"BadRequest\", \"message\": \"API version not supported\"}}"));

    ResponsePlan preview = post(router,
        "/openai/deployments/gpt-4o/completions?api-version=2025-03-01-preview",
        "{\"prompt\": \"x\"}");
    assertThat(body(preview).get("object").asText()).isEqualTo("text_completion");
  }

  @Test
  void validationErrorsKeepOpenAisShape() throws IOException {
    ResponsePlan plan = post(router(Map.of()),
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        "{\"messages\": []}");
    assertThat(plan.status()).isEqualTo(400);
    JsonNode error = body(plan).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("messages");
    assertThat(header(plan, "apim-request-id")).isNotNull();
  }

  @Test
  void unknownDeploymentPathsAndWrongMethodsGetAzuresErrors() throws IOException {
    Router router = router(Map.of());
    ResponsePlan unknown = post(router,
        "/openai/deployments/gpt-4o/images/edits?api-version=2024-10-21", "{}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(body(unknown).at("/error/code").asText()).isEqualTo("404");
    ResponsePlan get = router.route(new ApiRequest("GET",
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", Map.of(),
        new byte[0], 0));
    assertThat(get.status()).isEqualTo(405);
    assertThat(header(get, "apim-request-id")).isNotNull();
  }

  @Test
  void streamsCarryAzuresBufferingHeaders() {
    ResponsePlan plan = post(router(Map.of()),
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"stream\": true}");
    assertThat(plan.streaming()).isTrue();
    assertThat(header(plan, "x-accel-buffering")).isEqualTo("no");
    assertThat(header(plan, "cache-control")).isEqualTo("no-cache, must-revalidate");
    assertThat(header(plan, "content-type")).startsWith("text/event-stream");
    String last = null;
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      last = new String(f.bytes(), StandardCharsets.UTF_8);
    }
    assertThat(last).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void v1PathsAreAzuresForAzureClientsAndOpenAisOtherwise() throws IOException {
    Router router = router(Map.of("my-mini", "gpt-4o-mini"));
    String body = "{\"model\": \"my-mini\", \"input\": \"Hi\"}";
    ResponsePlan azure = post(router, "/openai/v1/responses", body, "api-key", "k");
    assertThat(azure.status()).isEqualTo(200);
    assertThat(body(azure).get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(header(azure, "apim-request-id")).isNotNull();

    ResponsePlan openAi = post(router, "/openai/v1/responses", body,
        "authorization", "Bearer sk-x");
    assertThat(openAi.status()).isEqualTo(200);
    assertThat(body(openAi).get("model").asText()).isEqualTo("my-mini");
    assertThat(header(openAi, "openai-version")).isNotNull();
    assertThat(header(openAi, "apim-request-id")).isNull();

    ResponsePlan dated = post(router, "/openai/v1/chat/completions?api-version=2024-10-21",
        "{\"model\": \"my-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
    assertThat(dated.status()).isEqualTo(400);
    assertThat(body(dated).at("/error/message").asText()).isEqualTo("API version not supported");

    ResponsePlan models = router.route(new ApiRequest("GET", "/openai/v1/models",
        Map.of("api-key", "k"), new byte[0], 0));
    assertThat(models.status()).isEqualTo(200);
  }

  @Test
  void legacyResponsesPathNeedsAnApiVersion() throws IOException {
    Router router = router(Map.of());
    ResponsePlan ok = post(router, "/openai/responses?api-version=2025-03-01-preview",
        "{\"model\": \"gpt-4o\", \"input\": \"Hi\"}", "api-key", "k");
    assertThat(body(ok).get("object").asText()).isEqualTo("response");
    ResponsePlan missing = post(router, "/openai/responses",
        "{\"model\": \"gpt-4o\", \"input\": \"Hi\"}", "api-key", "k");
    assertThat(missing.status()).isEqualTo(404);
  }
}
