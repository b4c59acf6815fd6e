package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.proxy.LlmSimServer;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.store.RecordedExchange;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code llmsim record} in-process, forwarding to a second (synthesizing) llmsim: the answer comes
 * back as the upstream sent it and lands in the store named on the command line.
 */
class RecordCommandTest {
  @TempDir Path store;

  @Test
  void recordsWhatItForwards() throws Exception {
    SynthesisSettings fixed = new SynthesisSettings(ProfileCatalog.builtIn(),
        Generators.fixed("Recorded by llmsim"), "instant", Speed.NORMAL);
    try (LlmSimServer upstream = LlmSimServer.start(
        ServerConfig.defaults().withPort(0).withSynthesis(fixed))) {
      StringWriter out = new StringWriter();
      CommandLine cl = Main.newCommandLine(new LlmSimCommand(Map.of()));
      cl.setOut(new PrintWriter(out, true));
      RecordCommand record = (RecordCommand) cl.parseArgs("record", "--port", "0",
          "--upstream", upstream.baseUri().toString(), "--store", store.toString())
          .subcommand().commandSpec().userObject();
      List<RecordedExchange> recorded;
      try (ServeCommand.Running running = record.start()) {
        URI base = running.server().baseUri();
        assertThat(out.toString()).contains("(mode record,")
            .contains("openai=" + upstream.baseUri()).contains("store " + store);
        HttpResponse<String> chat = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer sk-placeholder-key-0123456789")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.body()).contains("Recorded by llmsim");
        recorded = waitFor(running.server());
      }
      assertThat(recorded).singleElement().satisfies(e -> {
        assertThat(e.model()).isEqualTo("gpt-4o");
        assertThat(new String(e.chunks().get(0).bytes())).contains("Recorded by llmsim");
      });
    }
  }

  private static List<RecordedExchange> waitFor(LlmSimServer server) throws Exception {
    for (int i = 0; i < 250; i++) {
      List<RecordedExchange> all = server.store().submit(s -> s.list()).get();
      if (!all.isEmpty()) {
        return all;
      }
      Thread.sleep(20);
    }
    return List.of();
  }
}
