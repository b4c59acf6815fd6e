package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import io.llmsim.store.RocksDbExchangeStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the fixtures commands through picocli in-process, against real RocksDB stores. */
class FixturesCommandTest {
  private static final long T0 = 1_760_000_000_000L;
  private static final String SSE_FILE =
      "exchanges/openai/chat.completions/gpt-4o-mini-fp-chat-chatcmpl-a1.json";

  @TempDir Path dir;
  private Path db;
  private Path set;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private final List<RecordedExchange> recorded = List.of(
      sse("chatcmpl-a1", "fp-chat", "Hel", T0),
      sse("chatcmpl-a2", "fp-chat", "Hey", T0 + 60_000),
      message("msg-b1", T0 + 120_000));

  @BeforeEach
  void recordSomeExchanges() {
    db = dir.resolve("db");
    set = dir.resolve("set");
    try (ExchangeStore store = RocksDbExchangeStore.open(db)) {
      recorded.forEach(store::put);
    }
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Main.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String nl() {
    return System.lineSeparator();
  }

  @Test
  void exportThenImportIntoAFreshStoreGivesTheSameExchanges() {
    assertThat(run("fixtures", "export", "--store", db.toString(), "--out", set.toString(),
        "--description", "demo")).isZero();
    assertThat(out.toString()).startsWith("exported 3 exchanges (2 distinct requests) to " + set
        + nl() + "content hash sha256:");
    assertThat(err.toString()).isEmpty();

    Path fresh = dir.resolve("fresh");
    assertThat(run("fixtures", "import", set.toString(), "--store", fresh.toString())).isZero();
    assertThat(out.toString()).isEqualTo("read 1 set (3 exchanges) into " + fresh
        + ": 3 added, 0 replaced, 0 skipped" + nl());
    try (ExchangeStore store = RocksDbExchangeStore.open(fresh)) {
      for (RecordedExchange e : recorded) {
        assertThat(store.get(e.id())).contains(e);
      }
      assertThat(store.takes("fp-chat")).extracting(RecordedExchange::id)
          .containsExactly("chatcmpl-a1", "chatcmpl-a2");
    }
  }

  @Test
  void exportingAgainWritesTheSameBytes() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    Map<String, byte[]> first = tree(set);
    run("fixtures", "export", "--store", db.toString(), "--out", dir.resolve("again").toString(),
        "--name", "set");
    Map<String, byte[]> second = tree(dir.resolve("again"));
    assertThat(second.keySet()).isEqualTo(first.keySet());
    first.forEach((f, b) -> assertThat(second.get(f)).as(f).isEqualTo(b));
  }

  @Test
  void exportFiltersAndSaysWhenNothingMatches() {
    assertThat(run("fixtures", "export", "--store", db.toString(), "--out", set.toString(),
        "--endpoint", "messages")).isZero();
    assertThat(out.toString()).startsWith("exported 1 exchanges (1 distinct requests)");

    assertThat(run("fixtures", "export", "--store", db.toString(), "--out",
        dir.resolve("none").toString(), "--tag", "nope", "--model", "gpt-4o-mini")).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: no exchange in " + db
        + " matches --tag nope --model gpt-4o-mini; nothing written" + nl());
    assertThat(dir.resolve("none")).doesNotExist();

    assertThat(run("fixtures", "export", "--store", db.toString(), "--out", set.toString(),
        "--since", "yesterday")).isEqualTo(2);
    assertThat(err.toString()).startsWith("llmsim: --since: expected a date (2025-10-01)");
  }

  @Test
  void sinceTakesADateATimeOrATimeAgo() {
    Clock clock = Clock.fixed(Instant.parse("2025-10-10T12:00:00Z"), ZoneOffset.UTC);
    assertThat(FixturesExportCommand.parseSince("2025-10-01", clock))
        .isEqualTo(Instant.parse("2025-10-01T00:00:00Z"));
    assertThat(FixturesExportCommand.parseSince("2025-10-01T08:30:00Z", clock))
        .isEqualTo(Instant.parse("2025-10-01T08:30:00Z"));
    assertThat(FixturesExportCommand.parseSince("7d", clock))
        .isEqualTo(Instant.parse("2025-10-03T12:00:00Z"));
    assertThat(FixturesExportCommand.parseSince("90m", clock))
        .isEqualTo(Instant.parse("2025-10-10T10:30:00Z"));
  }

  @Test
  void aStoreThatIsNotThereIsAUsageError() throws IOException {
    assertThat(run("fixtures", "export", "--store", dir.resolve("nope").toString(), "--out",
        set.toString())).isEqualTo(2);
    assertThat(err.toString()).isEqualTo(
        "llmsim: --store: " + dir.resolve("nope") + ": no such directory" + nl());

    Path notAStore = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(notAStore.resolve("readme.txt"), "hello");
    assertThat(run("fixtures", "list", "--store", notAStore.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("not an llmsim store");
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    assertThat(run("fixtures", "import", set.toString(), "--store", notAStore.toString()))
        .isEqualTo(2);
    assertThat(notAStore.resolve("CURRENT")).doesNotExist();
  }

  @Test
  void importReportsEachConflictPolicy() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    // Team B re-recorded chatcmpl-a1 (another answer) and recorded something new.
    Path teamB = dir.resolve("team-b");
    Path dbB = dir.resolve("db-b");
    try (ExchangeStore store = RocksDbExchangeStore.open(dbB)) {
      store.put(sse("chatcmpl-a1", "fp-chat", "Other", T0 + 1));
      store.put(sse("chatcmpl-c1", "fp-chat-2", "New", T0 + 2));
    }
    run("fixtures", "export", "--store", dbB.toString(), "--out", teamB.toString());

    Path keep = dir.resolve("keep");
    assertThat(run("fixtures", "import", set.toString(), teamB.toString(), "--store",
        keep.toString())).isZero();
    assertThat(out.toString()).isEqualTo("read 2 sets (5 exchanges) into " + keep
        + ": 4 added, 0 replaced, 1 skipped" + nl());

    Path replace = dir.resolve("replace");
    assertThat(run("fixtures", "import", set.toString(), teamB.toString(), "--store",
        replace.toString(), "--on-conflict", "replace")).isZero();
    assertThat(out.toString()).endsWith(": 4 added, 1 replaced, 0 skipped" + nl());

    Path addTake = dir.resolve("add-take");
    assertThat(run("fixtures", "import", set.toString(), teamB.toString(), "--store",
        addTake.toString(), "--on-conflict", "add-take")).isZero();
    assertThat(out.toString()).endsWith(": 5 added (1 as new takes), 0 replaced, 0 skipped" + nl());
    assertThat(run("fixtures", "import", set.toString(), teamB.toString(), "--store",
        addTake.toString(), "--on-conflict", "add-take")).isZero();
    assertThat(out.toString()).endsWith(": 0 added, 0 replaced, 5 skipped" + nl());
    assertThat(run("fixtures", "list", "--store", addTake.toString())).isZero();
    assertThat(out.toString()).contains("chatcmpl-a1~2").contains("3/3");

    assertThat(run("fixtures", "import", set.toString(), "--store", keep.toString(),
        "--on-conflict", "merge")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("llmsim: --on-conflict: expected keep, replace or "
        + "add-take; got 'merge'" + nl());
  }

  @Test
  void aTamperedSetFailsVerifyAndImportNamingTheFile() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    assertThat(run("fixtures", "verify", set.toString())).isZero();
    assertThat(out.toString()).startsWith(set + ": ok (3 exchanges, sha256:");

    Path file = set.resolve(SSE_FILE);
    Files.writeString(file, Files.readString(file).replace("\"status\": 200", "\"status\": 201"));
    assertThat(run("fixtures", "verify", set.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(
        file + ": does not match its SHA-256 in manifest.json (edited after export?)" + nl()
            + set + ": failed (1 problem)" + nl());

    Path fresh = dir.resolve("fresh");
    assertThat(run("fixtures", "import", set.toString(), "--store", fresh.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: " + file
        + ": does not match its SHA-256 in manifest.json (edited after export?)" + nl());
    // Nothing was imported; the store was not even created.
    assertThat(fresh).doesNotExist();
  }

  @Test
  void anUnknownMajorVersionIsRefused() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    Path manifest = set.resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"1.0\"", "\"2.0\""));
    assertThat(run("fixtures", "import", set.toString(), "--store", dir.resolve("x").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: " + manifest + ": format version 2.0 is not "
        + "supported: this build of llmsim reads 1.x (a newer llmsim may read it)" + nl());
  }

  @Test
  void exportNeverWritesThroughALinkedDirectoryOfTheSet() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    Path openai = set.resolve("exchanges/openai");
    try (Stream<Path> walk = Files.walk(openai)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Path victim = Files.createDirectories(dir.resolve("victim"));
    Files.createSymbolicLink(openai, victim);

    assertThat(run("fixtures", "export", "--store", db.toString(), "--out", set.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: " + openai + ": is a symbolic link; a "
        + "fixture set may not contain links (replace it with the file itself)" + nl());
    try (Stream<Path> written = Files.list(victim)) {
      assertThat(written).isEmpty();
    }
  }

  @Test
  void verifyImportAndRedactRefuseALinkedFileWithoutReadingOrChangingIt() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    String secret = "root:x:0:0:" + random(24) + ":/root:/bin/sh";
    Path target = Files.writeString(dir.resolve("system-file"), secret + "\n");
    Path file = set.resolve(SSE_FILE);
    Files.delete(file);
    Files.createSymbolicLink(file, target);

    assertThat(run("fixtures", "verify", set.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(file + ": is a symbolic link")
        .doesNotContain("root").doesNotContain(secret);
    Path fresh = dir.resolve("fresh");
    assertThat(run("fixtures", "import", set.toString(), "--store", fresh.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains(file + ": is a symbolic link").doesNotContain("root");
    assertThat(fresh).doesNotExist();
    assertThat(run("fixtures", "redact", set.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(file + ": is a symbolic link");
    assertThat(Files.readString(target)).isEqualTo(secret + "\n");
    assertThat(Files.isSymbolicLink(file)).isTrue();
  }

  @Test
  void anExchangeFileOverTheLimitIsRefusedByItsSizeBeforeItIsRead() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    // Sparse: 257 MiB on paper, nothing on disk, and never read.
    Path huge = set.resolve(SSE_FILE);
    long size = 257L * 1024 * 1024;
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(size);
    }
    String refused = huge + " is " + size + " bytes, over the limit of 256 MiB (268435456 "
        + "bytes) for one exchange";

    assertThat(run("fixtures", "verify", set.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(refused);
    Path fresh = dir.resolve("fresh");
    assertThat(run("fixtures", "import", set.toString(), "--store", fresh.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains(refused);
    assertThat(fresh).doesNotExist();
  }

  @Test
  void aPlantedSecretIsReportedByVerifyAndRemovedByRedact() throws IOException {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    String key = "sk" + "-proj-" + random(48);
    String token = random(40);
    Path file = set.resolve(SSE_FILE);
    Files.writeString(file, Files.readString(file)
        .replace("\"content\": \"hi chatcmpl-a1\"", "\"content\": \"key " + key + "\"")
        .replace("\"x-request-id: chatcmpl-a1\"", "\"x-request-id: chatcmpl-a1\",\n"
            + "      \"x-forwarded-auth: Bearer " + token + "\""));

    assertThat(run("fixtures", "verify", set.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(
        file + ": does not match its SHA-256 in manifest.json (edited after export?)",
        file + ": secret-looking value in request body",
        file + ": secret-looking value in response header 'x-forwarded-auth'",
        set + ": run 'llmsim fixtures redact " + set + "' to remove the secret-looking values",
        set + ": failed (3 problems)")
        .doesNotContain(key).doesNotContain(token);

    assertThat(run("fixtures", "redact", set.toString())).isZero();
    assertThat(out.toString()).startsWith(set + ": 1 of 3 exchanges changed, sha256:")
        .endsWith(set + ": note: 1 file had changed since the manifest was written; kept as "
            + "they are now" + nl());
    assertThat(run("fixtures", "verify", set.toString())).isZero();
    for (byte[] content : tree(set).values()) {
      assertThat(new String(content, StandardCharsets.UTF_8)).doesNotContain(key)
          .doesNotContain(token);
    }
  }

  @Test
  void listShowsATableOfASetOrAStore() {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    assertThat(run("fixtures", "list", set.toString())).isZero();
    String fromSet = out.toString();
    assertThat(fromSet.lines().toList()).containsExactly(
        "ID           PROVIDER   ENDPOINT          MODEL              TAKE  STATUS  SIZE   "
            + "RECORDED",
        "msg-b1       anthropic  messages          claude-sonnet-4-5  1/1   200     96 B   "
            + "2025-10-09T08:55:20Z",
        "chatcmpl-a1  openai     chat.completions  gpt-4o-mini        1/2   200     120 B  "
            + "2025-10-09T08:53:20Z",
        "chatcmpl-a2  openai     chat.completions  gpt-4o-mini        2/2   200     120 B  "
            + "2025-10-09T08:54:20Z",
        "",
        "3 exchanges, 2 requests, 336 B of responses");

    assertThat(run("fixtures", "list", "--store", db.toString())).isZero();
    assertThat(out.toString()).isEqualTo(fromSet);

    assertThat(run("fixtures", "list")).isEqualTo(2);
    assertThat(err.toString()).startsWith("llmsim: give a fixture set PATH or --store DIR");
    assertThat(run("fixtures", "list", set.toString(), "--store", db.toString())).isEqualTo(2);
  }

  @Test
  void showPrintsTheExchangeWithATimeline() {
    run("fixtures", "export", "--store", db.toString(), "--out", set.toString());
    assertThat(run("fixtures", "show", "chatcmpl-a2", set.toString())).isZero();
    String shown = out.toString();
    assertThat(shown.lines().toList()).containsExactly(
        "chatcmpl-a2  openai chat.completions  gpt-4o-mini  (take 2 of 2)",
        "fingerprint  fp-chat",
        "recorded     2025-10-09T08:54:20Z, complete",
        "tags         smoke",
        "usage        12 in, 2 out",
        "",
        "request  POST /v1/chat/completions  (93 B)",
        "  Content-Type: application/json",
        "  Authorization: [redacted]",
        "  {\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content…",
        "",
        "response 200  (120 B in 3 chunks)",
        "  content-type: text/event-stream",
        "  x-request-id: chatcmpl-a2",
        "",
        "timeline",
        "       ms       gap",
        "    0.000            request        POST /v1/chat/completions",
        "  180.000  +180.000  headers        status 200",
        "  180.500    +0.500  chunk 1  49 B  data: {\"choices\":[{\"delta\":{\"content\":"
            + "\"Hey\"}}]}\\n\\n",
        "  210.000   +29.500  chunk 2  57 B  data: {\"choices\":[{\"delta\":{},"
            + "\"finish_reason\":\"stop\"}]}\\n\\n",
        "  240.250   +30.250  chunk 3  14 B  data: [DONE]\\n\\n",
        "  240.250            end            complete");

    // The store gives the same view, and a unique prefix is enough.
    assertThat(run("fixtures", "show", "chatcmpl-a2", "--store", db.toString())).isZero();
    assertThat(out.toString()).isEqualTo(shown);
    assertThat(run("fixtures", "show", "msg", set.toString())).isZero();
    assertThat(out.toString()).startsWith("msg-b1  anthropic messages");

    assertThat(run("fixtures", "show", "chatcmpl", set.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: id prefix chatcmpl matches 2 exchanges in "
        + set + ": chatcmpl-a1, chatcmpl-a2" + nl());
    assertThat(run("fixtures", "show", "zzz", "--store", db.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("llmsim: no exchange with id zzz in " + db + nl());
  }

  @Test
  void rmDeletesByIdAndFailsForAnUnknownOne() {
    assertThat(run("fixtures", "rm", "chatcmpl-a1", "nope", "--store", db.toString()))
        .isEqualTo(1);
    assertThat(out.toString()).isEqualTo("removed chatcmpl-a1" + nl() + "removed 1 of 2" + nl());
    assertThat(err.toString()).isEqualTo("llmsim: no exchange with id nope in " + db + nl());
    try (ExchangeStore store = RocksDbExchangeStore.open(db)) {
      assertThat(store.get("chatcmpl-a1")).isEmpty();
      assertThat(store.count()).isEqualTo(2);
    }
  }

  @Test
  void aStoreInUseIsNamedWithAHint() {
    try (ExchangeStore busy = RocksDbExchangeStore.open(db)) {
      assertThat(run("fixtures", "list", "--store", db.toString())).isEqualTo(1);
      assertThat(err.toString()).startsWith("llmsim: exchange store " + db.toAbsolutePath())
          .contains("(is another llmsim process using this store? stop it first)");
    }
  }

  @Test
  void fixturesAloneListsItsCommands() {
    assertThat(run("fixtures")).isEqualTo(2);
    assertThat(err.toString()).contains("export", "import", "list", "show", "verify", "rm",
        "redact");
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("fixtures");
  }

  private static RecordedExchange sse(String id, String fingerprint, String content, long at) {
    return new RecordedExchange(id, fingerprint, "openai", "chat.completions", "gpt-4o-mini", at,
        new Request("POST", "/v1/chat/completions", "",
            List.of(new Header("Content-Type", "application/json"),
                new Header("Authorization", "[redacted]")),
            utf8("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi " + id + "\"}]}")),
        200,
        List.of(new Header("content-type", "text/event-stream"), new Header("x-request-id", id)),
        180_000,
        List.of(
            new Chunk(180_500, utf8("data: {\"choices\":[{\"delta\":{\"content\":\"" + content
                + "\"}}]}\n\n")),
            new Chunk(210_000, utf8("data: {\"choices\":[{\"delta\":{},\"finish_reason\":"
                + "\"stop\"}]}\n\n")),
            new Chunk(240_250, utf8("data: [DONE]\n\n"))),
        new TokenUsage(12L, 2L), true, List.of("smoke"));
  }

  private static RecordedExchange message(String id, long at) {
    return new RecordedExchange(id, "fp-msg", "anthropic", "messages", "claude-sonnet-4-5", at,
        new Request("POST", "/v1/messages", "",
            List.of(new Header("content-type", "application/json")),
            utf8("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[]}")),
        200, List.of(new Header("content-type", "application/json")), 900_000,
        List.of(new Chunk(901_000, utf8("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":"
            + "[{\"type\":\"text\",\"text\":\"Hi\"}],\"stop_reason\":\"end_turn\"}"))),
        new TokenUsage(9L, 1L), true, List.of("smoke"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String random(int n) {
    String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(alnum.charAt(r.nextInt(alnum.length())));
    }
    return sb.toString();
  }

  private static Map<String, byte[]> tree(Path root) throws IOException {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }
}
