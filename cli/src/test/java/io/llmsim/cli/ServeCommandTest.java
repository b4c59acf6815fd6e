package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Starts {@code serve} in-process, talks to it over HTTP, and stops it. */
class ServeCommandTest {
  private final StringWriter out = new StringWriter();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServeCommand serve(Map<String, String> env, String... args) {
    LlmSimCommand root = new LlmSimCommand(env);
    CommandLine cl = Main.newCommandLine(root);
    cl.setOut(new PrintWriter(out, true));
    CommandLine.ParseResult parsed = cl.parseArgs(args);
    return (ServeCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void servesHealthAndChatThenStops() throws Exception {
    ServeCommand serve = serve(
        Map.of("LLMSIM_GENERATOR", "fixed:Hello from llmsim"),
        "serve", "--port", "0", "--profile", "instant", "--shutdown-grace", "1s");
    URI base;
    try (ServeCommand.Running running = serve.start()) {
      base = running.server().baseUri();
      assertThat(base.getPort()).isPositive();
      assertThat(out.toString()).matches(
          "llmsim listening on http://127\\.0\\.0\\.1:" + base.getPort()
              + " \\(mode synthesize, profiles: instant, generator fixed:Hello from llmsim,"
              + " transport (io_uring|epoll|nio)\\)"
              + " in \\d+ ms\\R");

      HttpResponse<String> health = http.send(
          HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"ok\"");

      HttpResponse<String> chat = http.send(
          HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).isEqualTo(200);
      assertThat(chat.body()).contains("Hello from llmsim");
    }
    assertThat(out.toString()).endsWith("llmsim stopped" + System.lineSeparator());
    assertThatThrownBy(() -> http.send(
            HttpRequest.newBuilder(base.resolve("/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void extraModelsAreListed() throws Exception {
    ServeCommand serve = serve(Map.of(), "serve", "--port", "0", "--model", "acme-large");
    try (ServeCommand.Running running = serve.start()) {
      HttpResponse<String> models = http.send(
          HttpRequest.newBuilder(running.server().baseUri().resolve("/v1/models")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(models.statusCode()).isEqualTo(200);
      assertThat(models.body()).contains("\"acme-large\"");
      assertThat(running.startLine()).contains("profiles: by model, generator lorem, transport ");
    }
  }

  @Test
  void azureDeploymentFlagMapsTheDeploymentToItsModel() throws Exception {
    ServeCommand serve = serve(Map.of(), "serve", "--port", "0", "--profile", "instant",
        "--azure-deployment", "prod-chat=gpt-4o-mini");
    try (ServeCommand.Running running = serve.start()) {
      URI chat = running.server().baseUri()
          .resolve("/openai/deployments/prod-chat/chat/completions?api-version=2024-10-21");
      HttpResponse<String> answer = http.send(
          HttpRequest.newBuilder(chat)
              .header("api-key", "test-key")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"model\":\"gpt-4o-mini-");
    }
  }

  @Test
  void aTakenPortIsARuntimeFailureNamingTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      ServeCommand serve = serve(Map.of(), "serve", "--port", String.valueOf(taken.getLocalPort()));
      assertThatThrownBy(serve::start)
          .isInstanceOf(CliException.class)
          .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
    }
    assertThat(out.toString()).isEmpty();
  }
}
