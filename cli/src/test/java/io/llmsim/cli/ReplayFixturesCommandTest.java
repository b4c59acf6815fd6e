package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmsim.core.mode.Mode;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.fixtures.FixtureSets;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code llmsim replay --fixtures}: the shipped example set is served as recorded, without a
 * store; the settings come from flag, environment or file; broken sets and scopes are refused.
 */
class ReplayFixturesCommandTest {
  /** The shipped set; tests run in the cli module's directory. */
  private static final Path OPENAI_SET = Path.of("..", "fixtures", "openai-chat");
  /** The request README's quick start sends, byte for byte. */
  private static final String README_HELLO =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theShippedOpenAiSetAnswersEveryRecordedRequestAsRecorded() throws Exception {
    Path store = dir.resolve("state/store"); // never created: replay reads the fixture store
    List<RecordedExchange> recorded = FixtureSets.load(OPENAI_SET);
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(5);
    assertThat(recorded).anyMatch(e -> new String(e.request().body(), StandardCharsets.UTF_8)
        .equals(README_HELLO));
    assertThat(Files.readString(Path.of("..", "README.md"))).contains("-d '" + README_HELLO + "'");
    try (ServeCommand.Running running = replay("--fixtures", OPENAI_SET.toString(), "--speed",
        "max", "--port", "0", "--store", store.toString()).start()) {
      assertThat(out.toString()).contains("(mode replay,").contains("fixtures [");
      URI base = running.server().baseUri();
      for (RecordedExchange e : recorded) {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(
                e.request().path())).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(e.request().body())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(e.id()).isEqualTo(e.status());
        assertThat(r.body()).as(e.id()).isEqualTo(joined(e));
      }
    }
    assertThat(store).doesNotExist();
    assertThat(dir.resolve("state/fixture-cache")).isDirectory();
  }

  @Test
  void fixturesComeFromTheFlagTheEnvironmentOrTheFileAndNeedNoStore() throws Exception {
    Path missingStore = dir.resolve("no-such-store");
    ServerConfig fromFlags = ConfigLoader.load(ServeOptions.parse("--mode", "replay",
        "--fixtures", OPENAI_SET.toString(), "--store", missingStore.toString(),
        "--scope", "suite-a", "--cache-dir", "/tmp/llmsim-cache"), Map.of(), null);
    assertThat(fromFlags.mode()).isEqualTo(Mode.REPLAY);
    assertThat(fromFlags.modes().replay().fixtureCache())
        .isEqualTo(Path.of("/tmp/llmsim-cache"));
    assertThat(fromFlags.modes().replay().fixtures()).containsExactly(OPENAI_SET);
    assertThat(fromFlags.modes().scope()).isEqualTo("suite-a");

    Path other = Files.createDirectories(dir.resolve("copy"));
    copyTree(OPENAI_SET, other);
    ServerConfig fromEnv = ConfigLoader.load(ServeOptions.parse("--mode", "replay"),
        Map.of("LLMSIM_FIXTURES", OPENAI_SET + "," + other, "LLMSIM_SCOPE", "nightly",
            "LLMSIM_STORE", missingStore.toString(), "LLMSIM_CACHE_DIR", "ci-cache"), null);
    assertThat(fromEnv.modes().replay().fixtures()).containsExactly(OPENAI_SET, other);
    assertThat(fromEnv.modes().replay().fixtureCache()).isEqualTo(Path.of("ci-cache"));
    assertThat(fromEnv.modes().scope()).isEqualTo("nightly");

    Path file = dir.resolve("llmsim.yaml");
    Files.writeString(file, "fixtures:\n  - copy\nscope: from-file\ncache-dir: cache\n");
    ServerConfig fromFile = ConfigLoader.load(ServeOptions.parse("--mode", "replay", "--store",
        missingStore.toString()), Map.of(), file);
    assertThat(fromFile.modes().replay().fixtures()).containsExactly(other); // file-relative
    assertThat(fromFile.modes().scope()).isEqualTo("from-file");
    assertThat(fromFile.modes().replay().fixtureCache()).isEqualTo(dir.resolve("cache"));
    // Without the setting the cache stays beside the store (FixtureStores decides).
    assertThat(ConfigLoader.load(ServeOptions.none(), Map.of(), null).modes().replay()
        .fixtureCache()).isNull();
  }

  @Test
  void aBrokenSetOrABadScopeRefusesTheStartNamingTheProblem() throws Exception {
    Path copy = Files.createDirectories(dir.resolve("edited"));
    copyTree(OPENAI_SET, copy);
    Path exchange;
    try (Stream<Path> files = Files.walk(copy)) {
      exchange = files.filter(p -> p.toString().endsWith(".json")
          && !p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
    }
    Files.writeString(exchange, Files.readString(exchange).replace("\"status\": 200",
        "\"status\": 201"));

    assertThatThrownBy(() -> ConfigLoader.load(ServeOptions.parse("--mode", "replay",
        "--fixtures", copy.toString()), Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--fixtures")
        .hasMessageContaining(exchange.getFileName().toString())
        .hasMessageNotContaining("store");
    assertThatThrownBy(() -> ConfigLoader.load(ServeOptions.parse("--scope", "two words"),
        Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--scope").hasMessageContaining("two words");
  }

  private ReplayCommand replay(String... args) {
    CommandLine cl = Main.newCommandLine(new LlmSimCommand(Map.of()));
    cl.setOut(new PrintWriter(out, true));
    String[] all = new String[args.length + 1];
    all[0] = "replay";
    System.arraycopy(args, 0, all, 1, args.length);
    return (ReplayCommand) cl.parseArgs(all).subcommand().commandSpec().userObject();
  }

  private static byte[] joined(RecordedExchange e) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    e.chunks().forEach(c -> body.writeBytes(c.bytes()));
    return body.toByteArray();
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
