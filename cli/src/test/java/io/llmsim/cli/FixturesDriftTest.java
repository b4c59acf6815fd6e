package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.proxy.LlmSimServer;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.store.Redactor;
import io.llmsim.store.fixtures.FixtureSets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code llmsim fixtures verify --against-upstream}, with a second (synthesizing) llmsim as the
 * upstream: a set recorded from it verifies clean; a set whose recorded answer was edited into
 * another shape is reported, and the run fails.
 */
class FixturesDriftTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WHOLE = "{\"model\":\"gpt-4o-mini\",\"messages\":"
      + "[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final String STREAMED = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @TempDir Path dir;
  private LlmSimServer upstream;
  private Path set;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void recordASetFromASynthesizingUpstream() throws Exception {
    SynthesisSettings fixed = new SynthesisSettings(ProfileCatalog.builtIn(),
        Generators.fixed("Recorded by llmsim"), "instant", Speed.NORMAL);
    upstream = LlmSimServer.start(ServerConfig.defaults().withPort(0).withSynthesis(fixed));
    Path store = dir.resolve("store");
    CommandLine cl = Main.newCommandLine(new LlmSimCommand(Map.of()));
    cl.setOut(new PrintWriter(out, true));
    RecordCommand record = (RecordCommand) cl.parseArgs("record", "--port", "0",
        "--upstream", upstream.baseUri().toString(), "--store", store.toString())
        .subcommand().commandSpec().userObject();
    try (ServeCommand.Running running = record.start()) {
      URI base = running.server().baseUri();
      for (String body : new String[] {WHOLE, STREAMED}) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("content-type", "application/json")
                .header("authorization", "Bearer sk-placeholder-key-0123456789")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      awaitRecordings(running.server(), 2);
    }
    set = dir.resolve("set");
    assertThat(run("fixtures", "export", "--store", store.toString(), "--out", set.toString()))
        .isZero();
  }

  @AfterEach
  void stopUpstream() {
    upstream.close();
  }

  @Test
  void aSetRecordedFromTheUpstreamHasNotDrifted() {
    int status = run("fixtures", "verify", set.toString(), "--against-upstream", "--upstream",
        upstream.baseUri().toString());

    assertThat(err.toString()).isEmpty();
    assertThat(status).isZero();
    assertThat(out.toString()).contains("2 exchanges re-sent, no drift");
  }

  @Test
  void anAnswerEditedIntoAnotherShapeIsReportedAndFailsTheRun() throws Exception {
    Path whole = wholeAnswerFile();
    ObjectNode file = (ObjectNode) JSON.readTree(whole.toFile());
    ObjectNode body = (ObjectNode) file.path("response").path("bodyJson");
    ((ObjectNode) body.path("choices").get(0)).put("finish_reason", "length");
    body.put("x_extra_field", 1);
    // The format keeps the chunks' lengths beside bodyJson: one chunk with the new length.
    ObjectNode response = (ObjectNode) file.path("response");
    ObjectNode chunk = (ObjectNode) response.path("chunks").get(0);
    chunk.put("length", JSON.writeValueAsBytes(body).length);
    response.putArray("chunks").add(chunk);
    JSON.writerWithDefaultPrettyPrinter().writeValue(whole.toFile(), file);
    FixtureSets.redact(set, Redactor.defaults()); // accepts the edit and rewrites the manifest

    int status = run("fixtures", "verify", set.toString(), "--against-upstream", "--upstream",
        "openai=" + upstream.baseUri());

    assertThat(status).isEqualTo(FixturesVerifyCommand.DRIFTED);
    assertThat(err.toString())
        .contains(whole.getFileName().toString() + ": drifted: ")
        .contains("finish reason length -> stop")
        .contains("fields gone: x_extra_field")
        .contains("1 drifted");
    assertThat(err.toString()).doesNotContain("sk-placeholder");
  }

  /** The exchange file of the whole (not streamed) answer. */
  private Path wholeAnswerFile() throws Exception {
    try (Stream<Path> files = Files.walk(set)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.toString().endsWith(".json") && !p.getFileName().toString().equals("manifest.json")
            && !JSON.readTree(p.toFile()).path("request").path("bodyJson").has("stream")) {
          return p;
        }
      }
    }
    throw new AssertionError("no whole answer in " + set);
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Main.newCommandLine(new LlmSimCommand(Map.of()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static void awaitRecordings(LlmSimServer server, int count) throws Exception {
    for (int i = 0; i < 250; i++) {
      if (server.store().submit(s -> s.count()).get() >= count) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("fewer than " + count + " recordings");
  }
}
