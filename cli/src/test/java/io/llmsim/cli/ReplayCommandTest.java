package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RocksDbExchangeStore;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code llmsim replay} and the replay settings of {@code serve}, parsed and run in-process. */
class ReplayCommandTest {
  private static final String HELLO =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ANSWER = "{\"id\":\"chatcmpl-recorded\",\"object\":\"chat.completion\"}";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ReplayCommand replay(Map<String, String> env, String... args) {
    CommandLine cl = Main.newCommandLine(new LlmSimCommand(env));
    cl.setOut(new PrintWriter(out, true));
    String[] all = new String[args.length + 1];
    all[0] = "replay";
    System.arraycopy(args, 0, all, 1, args.length);
    return (ReplayCommand) cl.parseArgs(all).subcommand().commandSpec().userObject();
  }

  @Test
  void replaySettingsComeFromFlagsEnvironmentAndFile() throws Exception {
    Path file = dir.resolve("llmsim.yaml");
    Files.writeString(file, "store: recordings\nstrict: true\non-miss: passthrough\n");
    Files.createDirectories(dir.resolve("recordings"));
    ServerConfig fromFile = ConfigLoader.load(ServeOptions.parse("--mode", "replay"), Map.of(),
        file);
    assertThat(fromFile.mode()).isEqualTo(Mode.REPLAY);
    assertThat(fromFile.modes().storeDir()).isEqualTo(dir.resolve("recordings"));
    assertThat(fromFile.modes().replay().strict()).isTrue();
    assertThat(fromFile.modes().replay().onMiss()).isEqualTo("passthrough");

    ServerConfig layered = ConfigLoader.load(
        ServeOptions.parse("--store", "flagged", "--speed", "2x", "--on-miss", "synthesize",
            "--include-incomplete"),
        Map.of("LLMSIM_STORE", "from-env", "LLMSIM_STRICT", "false"), file);
    assertThat(layered.mode()).isEqualTo(Mode.SYNTHESIZE); // serve --store: replay by header
    assertThat(layered.modes().storeDir()).isEqualTo(Path.of("flagged"));
    ReplaySettings replay = layered.modes().replay();
    assertThat(replay.speed()).isEqualTo(Speed.parse("2x"));
    assertThat(replay.onMiss()).isEqualTo("synthesize");
    assertThat(replay.strict()).isFalse();
    assertThat(replay.includeIncomplete()).isTrue();
  }

  @Test
  void badReplaySettingsAreReportedTogether() {
    Path missing = dir.resolve("none");
    assertThatThrownBy(() -> ConfigLoader.load(ServeOptions.parse("--mode", "replay",
        "--on-miss", "ignore"), Map.of("LLMSIM_STRICT", "maybe", "LLMSIM_STORE",
            missing.toString()), null))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "store: no such directory: " + missing + " (replay serves an existing store; give"
                + " --store DIR, LLMSIM_STORE or 'store:' in the config file)",
            "--on-miss: unknown on-miss 'ignore'; expected error, synthesize, passthrough, record",
            "LLMSIM_STRICT: expected true or false, got the string 'maybe'"));
  }

  @Test
  void replayRefusesAStoreThatDoesNotExist() {
    Path missing = dir.resolve("typo");
    assertThatThrownBy(() -> ConfigLoader.load(
        ServeOptions.parse("--mode", "replay", "--store", missing.toString()), Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "store: no such directory: " + missing + " (replay serves an existing store; give"
                + " --store DIR, LLMSIM_STORE or 'store:' in the config file)"));
  }

  @Test
  void replayServesTheStoreAndAStrictRunThatMissedExitsNonZero() throws Exception {
    Path store = dir.resolve("store");
    try (RocksDbExchangeStore rocks = RocksDbExchangeStore.open(store)) {
      rocks.put(recording("000000000001aa", HELLO));
      rocks.put(recording("000000000001ab", HELLO.replace("hi", "never asked")));
    }
    ReplayCommand command = replay(Map.of(), "--store", store.toString(), "--port", "0",
        "--speed", "max", "--strict", "--shutdown-grace", "1s");
    ServeCommand.Running running = command.start();
    URI base = running.server().baseUri();
    assertThat(running.startLine()).contains("(mode replay,");

    HttpResponse<String> hit = post(base, HELLO);
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(hit.body()).isEqualTo(ANSWER);
    HttpResponse<String> miss = post(base, HELLO.replace("hi", "hello?"));
    assertThat(miss.statusCode()).isEqualTo(404);
    assertThat(miss.body()).contains("No recording to replay");

    assertThat(command.finish(running)).isEqualTo(ReplayCommand.UNMATCHED);
    assertThat(out.toString()).contains("replay strict report: 1 unmatched request",
        "unused: 000000000001ab");
  }

  @Test
  void aCleanStrictRunExitsZero() throws Exception {
    Path store = dir.resolve("store");
    try (RocksDbExchangeStore rocks = RocksDbExchangeStore.open(store)) {
      rocks.put(recording("000000000001aa", HELLO));
    }
    Map<String, String> env = Map.of("LLMSIM_STORE", store.toString(), "LLMSIM_STRICT", "true");
    ReplayCommand command = replay(env, "--port", "0", "--speed", "max");
    ServeCommand.Running running = command.start();
    assertThat(post(running.server().baseUri(), HELLO).statusCode()).isEqualTo(200);
    assertThat(command.finish(running)).isZero();
    assertThat(out.toString()).contains("replay strict report: clean");
  }

  private HttpResponse<String> post(URI base, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static RecordedExchange recording(String id, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String endpoint = "POST /v1/chat/completions";
    return new RecordedExchange(id, Fingerprint.defaults().compute(endpoint, "gpt-4o", bytes),
        "openai", endpoint, "gpt-4o", 1_760_000_000_000L,
        new Request("POST", "/v1/chat/completions", "", List.of(), bytes), 200,
        List.of(new Header("content-type", "application/json"),
            new Header("content-length", String.valueOf(ANSWER.length()))),
        1000, List.of(new Chunk(2000, ANSWER.getBytes(StandardCharsets.UTF_8))), null, true,
        List.of());
  }
}
