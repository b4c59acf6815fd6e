package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of issue 4: a key that a client sent never reaches the store's files or the logs. A
 * visible canary written next to the secrets proves the grep can see stored bytes at all (RocksDB
 * compresses its table files, which could otherwise make a missing secret meaningless).
 */
class SecretsNotStoredTest {
  @TempDir Path dir;

  @Test
  void noSecretInAnyStoreFileOrLog() throws IOException {
    String openAi = Samples.openAiKey();
    String anthropic = Samples.anthropicKey();
    String google = Samples.googleKey();
    String bodySecret = "tenant-" + Samples.randomAlnum(24);
    String canary = "canary-" + Samples.randomAlnum(24);
    List<String> secrets = List.of(openAi, anthropic, google, bodySecret);

    Request request = new Request("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
        "alt=sse&key=" + google,
        List.of(new Header("Authorization", "Bearer " + openAi),
            new Header("x-api-key", anthropic),
            new Header("x-goog-api-key", google),
            new Header("Cookie", "sid=" + bodySecret),
            new Header("X-Trace", canary)),
        Samples.utf8("{\"contents\":[{\"parts\":[{\"text\":\"" + canary + "\"}]}],"
            + "\"api_key\":\"" + openAi + "\",\"tenant\":{\"secret\":\"" + bodySecret + "\"}}"));
    RecordedExchange raw = Samples.exchange("secret-1", "fp").withContent(request,
        List.of(new Header("Set-Cookie", "sid=" + bodySecret)),
        List.of(new Chunk(1000, Samples.utf8("data: " + canary + "\n\n"))));
    Redactor redactor = Redactor.builder().bodyFields(List.of("/tenant/secret")).build();

    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    Path db = dir.resolve("db");
    try {
      RecordedExchange clean = redactor.redact(raw);
      // What a caller would log about the exchange.
      System.Logger log = System.getLogger(SecretsNotStoredTest.class.getName());
      log.log(System.Logger.Level.WARNING, "recording " + clean + " " + clean.request()
          + " query=" + clean.request().query() + " headers=" + clean.request().headers());
      try (RocksDbExchangeStore store = RocksDbExchangeStore.open(db)) {
        store.put(clean);
        // While open the record sits in the write-ahead log.
        assertNoSecretIn(db, secrets, canary);
      }
      // After close it is flushed to a table file as well.
      assertNoSecretIn(db, secrets, canary);
      try (RocksDbExchangeStore store = RocksDbExchangeStore.open(db)) {
        assertThat(store.get("secret-1").orElseThrow().request().query())
            .isEqualTo("alt=sse&key=[redacted]");
      }
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String logged = captured.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("recording");
    secrets.forEach(s -> assertThat(logged).doesNotContain(s));
  }

  private static void assertNoSecretIn(Path root, List<String> secrets, String canary)
      throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    assertThat(files).isNotEmpty();
    boolean canarySeen = false;
    for (Path f : files) {
      // Latin-1 keeps every byte, so an ASCII secret anywhere in the file is found.
      String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String s : secrets) {
        // A boolean, so a failure names the file without dumping its bytes into the report.
        assertThat(content.contains(s)).as("a secret in file %s", f.getFileName()).isFalse();
      }
      canarySeen |= content.contains(canary);
    }
    assertThat(canarySeen).as("the canary is visible in the store files").isTrue();
  }
}
