package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.generate.SchemaValueGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 6 over a real socket: each small request that used to take the server down gets
 * a provider-shaped 400 naming the limit, fast, while {@code /health} keeps answering.
 */
class SynthesisBudgetServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Before the budget these went unanswered for minutes. An over-budget answer costs about a
   * second of CPU at most; the slack is for a 2-core machine at load 25, as measured here.
   */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(30);
  private static final String CHAT = "/v1/chat/completions";
  private static final String ARRAY_OF_ARRAYS = "{\"type\":\"array\",\"minItems\":100000,"
      + "\"items\":{\"type\":\"array\",\"minItems\":100000,\"items\":{\"type\":\"integer\"}}}";
  private static LlmSimServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.startInstant();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> post(String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(ANSWERED_WITHIN)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends {@code body} while probing {@code /health} every 50 ms; returns the answer after
   * checking that every probe got a 200 and the answer came within the slack.
   */
  private static HttpResponse<String> postWhileProbing(String path, String body,
      String... headers) throws Exception {
    CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
      try {
        return post(path, body, headers);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<Integer> probes = new ArrayList<>();
    while (!answer.isDone()) {
      HttpRequest health = HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/health"))
          .timeout(ANSWERED_WITHIN).GET().build();
      probes.add(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode());
      Thread.sleep(50);
    }
    assertThat(probes).as("health probes while the big request ran").containsOnly(200);
    return answer.join(); // its own timeout is ANSWERED_WITHIN
  }

  private static JsonNode openAiError(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("code").asText()).startsWith("synthesis_limit_");
    assertThat(error.get("message").asText()).contains("synthesis limit of");
    return error;
  }

  private static String chatWithSchema(String schema) {
    return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
        + "\"schema\":" + schema + "}}}";
  }

  @Test
  void anArrayOfHugeArraysInAStructuredOutputIsRefusedWhileHealthAnswers() throws Exception {
    JsonNode error = openAiError(postWhileProbing(CHAT, chatWithSchema(ARRAY_OF_ARRAYS)));
    assertThat(error.get("code").asText()).isIn("synthesis_limit_values", "synthesis_limit_time");
  }

  @Test
  void threeLevelsOfHugeArraysAreRefused() throws Exception {
    String level = "{\"type\":\"integer\"}";
    for (int i = 0; i < 3; i++) {
      level = "{\"type\":\"array\",\"minItems\":100000,\"items\":" + level + "}";
    }
    openAiError(postWhileProbing(CHAT, chatWithSchema(level)));
  }

  @Test
  void hugeToolParametersAreRefused() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
        + "{\"type\":\"object\",\"properties\":{\"a\":" + ARRAY_OF_ARRAYS + "},"
        + "\"required\":[\"a\"]}}}],\"tool_choice\":\"required\"}";
    openAiError(postWhileProbing(CHAT, body));
  }

  @Test
  void thousandsOfLongRequiredStringsRunOutOfBytes() throws Exception {
    StringBuilder props = new StringBuilder();
    StringBuilder required = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      props.append(i == 0 ? "" : ",").append("\"p").append(i)
          .append("\":{\"type\":\"string\",\"minLength\":100000}");
      required.append(i == 0 ? "" : ",").append("\"p").append(i).append('"');
    }
    String schema = "{\"type\":\"object\",\"properties\":{" + props + "},\"required\":["
        + required + "]}";
    JsonNode error = openAiError(postWhileProbing(CHAT, chatWithSchema(schema)));
    assertThat(error.get("code").asText()).isEqualTo("synthesis_limit_bytes");
    assertThat(error.get("message").asText()).contains("1,048,576 bytes");
  }

  @Test
  void aPatternThatOverflowedTheStackGetsAnAnswer() throws Exception {
    String schema = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\","
        + "\"pattern\":\"^((a|b){9999}){9999}$\"}},\"required\":[\"s\"]}";
    openAiError(postWhileProbing(CHAT, chatWithSchema(schema)));
  }

  @Test
  void anthropicToolSchemasAreRefusedInAnthropicsShape() throws Exception {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\",\"properties\":"
        + "{\"a\":" + ARRAY_OF_ARRAYS + "},\"required\":[\"a\"]}}],"
        + "\"tool_choice\":{\"type\":\"any\"}}";
    HttpResponse<String> response =
        postWhileProbing("/v1/messages", body, "anthropic-version", "2023-06-01");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode root = JSON.readTree(response.body());
    assertThat(root.get("type").asText()).isEqualTo("error");
    assertThat(root.at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(root.at("/error/message").asText()).contains("synthesis limit of");
  }

  @Test
  void geminiResponseJsonSchemasAreRefusedInGeminisShape() throws Exception {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
        + "\"generationConfig\":{\"responseMimeType\":\"application/json\","
        + "\"responseJsonSchema\":" + ARRAY_OF_ARRAYS + "}}";
    HttpResponse<String> response =
        postWhileProbing("/v1beta/models/gemini-2.5-flash:generateContent", body);
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.get("message").asText()).contains("synthesis limit of");
  }

  @Test
  void completionsWithTheLargestNForThousandsOfPromptsAreRefused() throws Exception {
    StringBuilder prompts = new StringBuilder();
    for (int i = 0; i < 2048; i++) {
      prompts.append(i == 0 ? "" : ",").append("\"Say something\"");
    }
    String body = "{\"model\":\"gpt-3.5-turbo-instruct\",\"n\":128,\"max_tokens\":16,"
        + "\"prompt\":[" + prompts + "]}";
    openAiError(postWhileProbing("/v1/completions", body));
  }

  @Test
  void aBigButAllowedAnswerIsComputedOffTheLoopAndValid() throws Exception {
    String schema = "{\"type\":\"array\",\"minItems\":20000,\"maxItems\":20000,"
        + "\"items\":{\"type\":\"integer\"}}";
    HttpResponse<String> response = postWhileProbing(CHAT,
        chatWithSchema(schema).replace("{\"model\"", "{\"seed\":5,\"model\""));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode content = JSON.readTree(JSON.readTree(response.body())
        .at("/choices/0/message/content").asText());
    assertThat(content.size()).isEqualTo(20000);
    assertThat(SchemaValueGenerator.validate(JSON.readTree(schema), content)).isEmpty();
  }

  @Test
  void aSpeedSlowerThanTheSlowestIsRefused() throws Exception {
    HttpResponse<String> response = post(CHAT,
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-simulation-mode", "synthesize; speed=0.0000001x");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).contains("at least 0.01x");
  }
}
