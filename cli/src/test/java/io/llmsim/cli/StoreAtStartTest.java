package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.proxy.LlmSimServer;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.store.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The store is opened, and locked, when the server starts, never by a request: a second recorder
 * on the same store fails to start and says why, and a server without a store answers replay with
 * a 400 instead of creating {@code ~/.llmsim/store}.
 */
class StoreAtStartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine commandLine() {
    CommandLine cl = Main.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl;
  }

  private ServeCommand.Running start(String... args) {
    Object command = commandLine().parseArgs(args).subcommand().commandSpec().userObject();
    return command instanceof RecordCommand record ? record.start()
        : ((ServeCommand) command).start();
  }

  private static HttpResponse<String> chat(URI base, String mode) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
            .header("content-type", "application/json")
            .header("x-simulation-mode", mode)
            .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSecondRecorderOnTheSameStoreFailsToStartAndSaysWhy() throws Exception {
    Path store = dir.resolve("store");
    try (LlmSimServer upstream = LlmSimServer.start(ServerConfig.defaults().withPort(0));
        ServeCommand.Running first = start("record", "--port", "0",
            "--upstream", upstream.baseUri().toString(), "--store", store.toString())) {
      // Started as a test starts it (call() would serve until stopped); the failure is the
      // one the command's handler prints with exit status 1.
      assertThatThrownBy(() -> start("record", "--port", "0",
          "--upstream", upstream.baseUri().toString(), "--store", store.toString()).close())
          .isInstanceOf(CliException.class)
          .hasMessageStartingWith("exchange store " + store.toAbsolutePath())
          .hasMessageContaining("(is another llmsim process using this store? stop it first)");
      // So the command, run as from a shell, ends at once with status 1 and says so.
      assertThat(commandLine().execute("record", "--port", "0",
          "--upstream", upstream.baseUri().toString(), "--store", store.toString()))
          .isEqualTo(1);
      assertThat(err.toString()).startsWith("llmsim: exchange store " + store.toAbsolutePath())
          .contains("is another llmsim process using this store?");
      // The first one, which holds the store, still records.
      assertThat(chat(first.server().baseUri(), "record").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRecorderHoldsItsStoreBeforeAnyRequest() throws Exception {
    Path store = dir.resolve("store");
    try (LlmSimServer upstream = LlmSimServer.start(ServerConfig.defaults().withPort(0));
        ServeCommand.Running recorder = start("record", "--port", "0",
            "--upstream", upstream.baseUri().toString(), "--store", store.toString())) {
      assertThat(Files.exists(store.resolve("CURRENT"))).isTrue();
      try (ExchangeStore second = RocksDbExchangeStore.open(store)) {
        throw new AssertionError("the store was not locked: " + second);
      } catch (StoreException expected) {
        assertThat(expected.getMessage()).contains(RocksDbExchangeStore.IN_USE_HINT);
      }
    }
  }

  @Test
  void withoutAStoreReplayAndRecordAreRefusedAndNothingIsCreated() throws Exception {
    String home = System.getProperty("user.home");
    System.setProperty("user.home", dir.toString());
    try (LlmSimServer upstream = LlmSimServer.start(ServerConfig.defaults().withPort(0));
        ServeCommand.Running serve = start("serve", "--port", "0",
            "--upstream", upstream.baseUri().toString())) {
      assertThat(serve.startLine()).doesNotContain("store");
      URI base = serve.server().baseUri();

      HttpResponse<String> replay = chat(base, "replay");
      assertThat(replay.statusCode()).isEqualTo(400);
      JsonNode error = JSON.readTree(replay.body()).path("error");
      assertThat(error.path("message").asText())
          .contains("mode 'replay' needs a store or fixtures, and this server has none");
      assertThat(error.path("param").asText()).isEqualTo("x-simulation-mode");

      HttpResponse<String> record = chat(base, "record");
      assertThat(record.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(record.body()).path("error").path("message").asText())
          .contains("mode 'record' needs a store, and this server has none");

      // Passthrough needs no store.
      assertThat(chat(base, "passthrough").statusCode()).isEqualTo(200);
      assertThat(dir.resolve(".llmsim")).doesNotExist();
    } finally {
      System.setProperty("user.home", home);
    }
  }
}
