package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Azure deployment mappings set in {@link ServerConfig} reach the Azure API: a mapped deployment
 * answers as its model, and once a mapping is configured an unlisted deployment is Azure's 404.
 */
class AzureDeploymentConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API_VERSION = "?api-version=2024-10-21";
  private static final String HELLO =
      "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":1}";
  private static LlmSimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = LlmSimServer.start(ServerConfig.defaults().withPort(0)
        .withSynthesis(TestServers.instant())
        .withAzureDeployments(Map.of("prod-chat", "gpt-4o-mini", "prod-embed",
            "text-embedding-3-small")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawHttpClient.Response post(String deployment, String endpoint, String body)
      throws Exception {
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      return c.send(RawHttpClient.post(
          "/openai/deployments/" + deployment + "/" + endpoint + API_VERSION, body,
          "api-key: azure-test-key")).read();
    }
  }

  @Test
  void aConfiguredDeploymentAnswersAsItsModel() throws Exception {
    RawHttpClient.Response r = post("prod-chat", "chat/completions", HELLO);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    // Like OpenAI, the answer names the model's dated snapshot: gpt-4o-mini-2024-07-18.
    assertThat(body.get("model").asText()).startsWith("gpt-4o-mini-");
    assertThat(body.path("choices").path(0).path("message").path("content").asText())
        .isNotEmpty();
    // Azure still names the deployment the client called, not the model behind it.
    assertThat(r.headers().get("x-ms-deployment-name")).isEqualTo("prod-chat");
  }

  @Test
  void theMappedModelWinsOverAModelInTheBody() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"input\":\"hi\"}";
    RawHttpClient.Response r = post("prod-embed", "embeddings", body);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("model").asText()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void theV1ApiMapsTheDeploymentNamedInTheBody() throws Exception {
    String body = "{\"model\":\"prod-chat\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    try (RawHttpClient c = new RawHttpClient(server.port())) {
      RawHttpClient.Response r = c.send(RawHttpClient.post(
          "/openai/v1/chat/completions", body, "api-key: azure-test-key")).read();

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("model").asText()).startsWith("gpt-4o-mini-");
    }
  }

  @Test
  void anUnlistedDeploymentIsNotFound() throws Exception {
    // Without a mapping this name would be taken as the model; with one it is a typo to report.
    RawHttpClient.Response r = post("gpt-4o", "chat/completions", HELLO);

    assertThat(r.status()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).path("error").path("code").asText())
        .isEqualTo("DeploymentNotFound");
  }

  @Test
  void theDefaultIsNoMappingAndEveryCopyKeepsIt() {
    ServerConfig defaults = ServerConfig.defaults();
    assertThat(defaults.azureDeployments()).isEmpty();

    ServerConfig mapped = defaults.withAzureDeployments(Map.of("a", "gpt-4o"));
    assertThat(mapped.withPort(0).withSynthesis(TestServers.instant())
        .withLimits(4096, defaults.idleTimeout(), defaults.shutdownGrace()).azureDeployments())
        .containsExactly(Map.entry("a", "gpt-4o"));
  }

  @Test
  void blankNamesAndModelsAreRefused() {
    ServerConfig defaults = ServerConfig.defaults();
    assertThatThrownBy(() -> defaults.withAzureDeployments(Map.of(" ", "gpt-4o")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> defaults.withAzureDeployments(Map.of("prod", "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
  }
}
