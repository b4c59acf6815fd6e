package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.latency.Distribution;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import io.llmsim.store.RocksDbExchangeStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code llmsim profile fit|show}, run in-process through picocli as Main runs them. */
class ProfileCommandTest {
  @TempDir Path dir;
  private Path store;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** 120 gpt-4o streams with lognormal TTFT and gaps, and 3 of a model too rare to fit. */
  @BeforeEach
  void recordExchanges() {
    store = dir.resolve("store");
    SplittableRandom random = new SplittableRandom(8);
    Distribution ttft = new Distribution.LogNormal(6.0, 0.4);
    Distribution itl = new Distribution.LogNormal(2.3, 0.3);
    try (RocksDbExchangeStore s = RocksDbExchangeStore.open(store)) {
      for (int i = 0; i < 120; i++) {
        s.put(stream("a" + i, "gpt-4o", ttft, itl, 20 + random.nextInt(30), random));
      }
      for (int i = 0; i < 3; i++) {
        s.put(stream("r" + i, "rare-model", ttft, itl, 5, random));
      }
    }
  }

  private static RecordedExchange stream(String id, String model, Distribution ttft,
      Distribution itl, int tokens, SplittableRandom random) {
    List<Chunk> chunks = new ArrayList<>();
    long at = Math.round(ttft.sample(random) * 1000);
    chunks.add(chunk(at / 2, "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
        + "\"content\":\"\"},\"finish_reason\":null}]}\n\n"));
    for (int t = 0; t < tokens; t++) {
      if (t > 0) {
        at += Math.round(itl.sample(random) * 1000);
      }
      chunks.add(chunk(at, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" w" + t
          + "\"},\"finish_reason\":null}]}\n\n"));
    }
    chunks.add(chunk(at + 100, "data: {\"choices\":[{\"index\":0,\"delta\":{},"
        + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
    Request request = new Request("POST", "/v1/chat/completions", "", List.of(),
        ("{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
    return new RecordedExchange(id, "fp-" + id, "openai", "chat.completions", model, 0, request,
        200, List.of(new Header("content-type", "text/event-stream")), at / 3, chunks,
        new TokenUsage(12L, (long) tokens), true, List.of());
  }

  private static Chunk chunk(long micros, String text) {
    return new Chunk(micros, text.getBytes(StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    CommandLine cl = Main.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path fit(String... extra) {
    Path file = dir.resolve("profiles.yaml");
    List<String> args = new ArrayList<>(List.of(
        "profile", "fit", "--store", store.toString(), "--out", file.toString()));
    args.addAll(List.of(extra));
    assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
    return file;
  }

  @Test
  void fitReadsFixtureSetsAsItReadsAStore() throws Exception {
    Path set = dir.resolve("set");
    try (RocksDbExchangeStore exchanges = RocksDbExchangeStore.open(store)) {
      io.llmsim.store.fixtures.FixtureSets.export(exchanges, set,
          io.llmsim.store.fixtures.ExportFilter.ALL, "fit-test", "synthetic",
          io.llmsim.store.fixtures.Progress.NONE);
    }
    String fromStore = Files.readString(fit());
    Path file = dir.resolve("from-set.yaml");
    assertThat(run("profile", "fit", "--fixtures", set.toString(), "--out", file.toString()))
        .as(err.toString()).isZero();
    // The same profiles; only the header's account of the source differs.
    assertThat(withoutComments(Files.readString(file))).isEqualTo(withoutComments(fromStore));
    assertThat(run("profile", "fit", "--store", store.toString(), "--fixtures", set.toString(),
        "--out", file.toString())).isEqualTo(2);
  }

  private static String withoutComments(String yaml) {
    return yaml.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
  }

  @Test
  void fitWritesAProfilesFileThatServeLoads() throws Exception {
    Path file = fit();
    assertThat(out.toString())
        .contains("gpt-4o: 120 exchanges; ttft lognormal (KS ")
        .contains("wrote 1 profile to " + file + " (123 exchanges read, 120 used)");
    String yaml = Files.readString(file);
    assertThat(yaml)
        .contains("# Left out, fewer than 10 usable exchanges: rare-model (3).")
        .contains("\n  gpt-4o:\n    ttft: {type: lognormal, mu: ")
        .contains("\nmodels:\n  gpt-4o: gpt-4o\n");

    // A config naming the file loads it, and the model maps to its fitted profile.
    Path config = dir.resolve("llmsim.yaml");
    Files.writeString(config, "profiles: profiles.yaml\n");
    ServerConfig loaded = ConfigLoader.load(ServeOptions.none(), Map.of(), config);
    LatencyProfile profile = loaded.synthesis().profiles().forModel("gpt-4o");
    assertThat(profile.name()).isEqualTo("gpt-4o");
    assertThat(profile.ttft()).isInstanceOf(Distribution.LogNormal.class);
    assertThat(((Distribution.LogNormal) profile.ttft()).mu()).isBetween(5.9, 6.1);
  }

  @Test
  void serveWithTheFittedFileAnswersARequestThatNamesTheProfile() throws Exception {
    Path file = fit();
    StringWriter serveOut = new StringWriter();
    CommandLine cl = Main.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(serveOut, true));
    ServeCommand serve = (ServeCommand) cl.parseArgs(
            "serve", "--port", "0", "--profiles", file.toString(), "--shutdown-grace", "1s")
        .subcommand().commandSpec().userObject();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ServeCommand.Running running = serve.start()) {
      HttpResponse<String> answer = http.send(
          HttpRequest.newBuilder(running.server().baseUri().resolve("/v1/chat/completions"))
              .header("content-type", "application/json")
              .header("x-simulation-mode", "synthesize; profile=gpt-4o; speed=max")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"some-other-model\","
                  + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("data: [DONE]");
    }
  }

  @Test
  void fitByEndpointNamesProfilesByProviderEndpointAndModelWithoutModelMappings()
      throws Exception {
    Path file = fit("--by", "endpoint", "--min-samples", "2");
    String yaml = Files.readString(file);
    assertThat(yaml).contains("\n  openai/chat.completions/gpt-4o:\n")
        .contains("\n  openai/chat.completions/rare-model:\n")
        .doesNotContain("\nmodels:");
    // Three samples are enough to fit once asked for, and are flagged.
    assertThat(yaml).contains("[few-samples]");
  }

  @Test
  void fitWithoutAStoreIsAUsageErrorAndCreatesNothing() {
    Path missing = dir.resolve("nothing-here");
    assertThat(run("profile", "fit", "--store", missing.toString(), "--out",
        dir.resolve("p.yaml").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("llmsim: --store: " + missing + ": no such directory");
    assertThat(missing).doesNotExist();
  }

  @Test
  void fitWithNoGroupLargeEnoughFailsAndSaysWhy() {
    assertThat(run("profile", "fit", "--store", store.toString(), "--out",
        dir.resolve("p.yaml").toString(), "--min-samples", "500")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: nothing to fit: 123 exchanges read, 0 used; "
        + "no group has 500 usable exchanges (see --min-samples)" + System.lineSeparator());
  }

  @Test
  void badGroupingIsAUsageError() {
    assertThat(run("profile", "fit", "--store", store.toString(), "--out", "x.yaml", "--by",
        "provider")).isEqualTo(2);
    assertThat(err.toString()).contains("expected model or endpoint, got 'provider'");
  }

  @Test
  void showFilePrintsATablePerProfileAndHistogramsOfTheFit() {
    Path file = fit();
    out.getBuffer().setLength(0);
    assertThat(run("profile", "show", file.toString())).as(err.toString()).isZero();
    String shown = out.toString();
    assertThat(shown)
        .startsWith("gpt-4o (120 exchanges)\n")
        .contains("  part              distribution")
        .contains("recorded p50/p90/p99")
        .containsPattern("\n  ttft +lognormal mu=[0-9.]+ sigma=[0-9.]+ ")
        .containsPattern("\n  tokens-per-chunk +constant value=1 ")
        .contains("  prefill: ")
        .contains("TTFT, ms (fitted, before the prefill term)")
        .contains("ITL, ms (fitted)")
        .contains("█");
  }

  @Test
  void showStoreFitsOnTheSpotAndDrawsTheRecordedValues() {
    assertThat(run("profile", "show", "--store", store.toString())).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("gpt-4o (120 exchanges)\n")
        .contains("TTFT, ms (recorded)")
        .contains("ITL, ms (recorded)")
        .contains("│█");
  }

  @Test
  void showNeedsExactlyOneSource() {
    assertThat(run("profile", "show")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required argument");
    err.getBuffer().setLength(0);
    assertThat(run("profile", "show", "a.yaml", "--store", store.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void showOfABadFileNamesTheProblem() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "profiles:\n  p: {ttft: {type: gauss}, itl: {type: constant, value: 1}}\n");
    assertThat(run("profile", "show", bad.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("llmsim: " + bad + ": profiles.p.ttft.type: expected");
  }

  @Test
  void profileAloneListsItsCommandsAndExitsTwo() {
    assertThat(run("profile")).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: llmsim profile").contains("fit").contains("show");
  }
}
