package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.fixtures.FixtureWriter;
import io.llmsim.testkit.ContentEncodings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 17 item 5: {@code llmsim fixtures verify} finds a secret however a set encodes it, one
 * file per bypass, and {@code fixtures redact} removes every one.
 */
class FixturesVerifyBypassTest {
  private static final String JSON = "application/json";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<String> secrets = new ArrayList<>();

  @Test
  void eachEncodedSecretFailsVerifyNamingItsFileAndRedactRemovesIt() throws IOException {
    String queryKey = secret("AI" + "zaSy" + random(33));
    String pathKey = secret(key());
    String escapedKey = secret(key());
    String gzipKey = secret(key());
    String brKey = secret(key());
    String scopeKey = secret(key());
    String basic = secret(random(30));
    List<RecordedExchange> planted = List.of(
        exchange("by-query", request("/v1/chat/completions", "alt=sse&k%65y=" + queryKey,
            List.of(), utf8(chat("q")))),
        exchange("by-path", request("/v1/keys/sk%2D" + pathKey.substring(3), "", List.of(),
            utf8(chat("p")))),
        exchange("by-escape", request("/v1/chat/completions", "", List.of(),
            utf8(chat("sk-\\u0070roj-" + escapedKey.substring(8))))),
        exchange("by-gzip", request("/v1/chat/completions", "",
            List.of(new Header("content-encoding", "gzip")),
            ContentEncodings.gzip(utf8(chat(gzipKey))))),
        exchange("by-scope", request("/v1/chat/completions", "", List.of(), utf8(chat("s"))))
            .withTags(List.of("scope:" + scopeKey)),
        withResponse(exchange("by-br", request("/v1/chat/completions", "", List.of(),
            utf8(chat("b")))), List.of(new Header("content-type", JSON),
            new Header("content-encoding", "br")),
            ContentEncodings.brotli(utf8("{\"echo\":\"" + brKey + "\"}"))),
        withResponse(exchange("by-basic", request("/v1/chat/completions", "", List.of(),
            utf8(chat("c")))), List.of(new Header("content-type", JSON),
            new Header("x-upstream-auth", "Basic " + Base64.getEncoder().encodeToString(
                utf8("svc:" + basic)))), utf8("{}")));
    Path set = dir.resolve("set");
    FixtureWriter.write(set, "bypasses", "", planted);
    assertThat(run("fixtures", "verify", set.toString())).isEqualTo(1);
    String report = err.toString();
    assertThat(report).contains(
        file(set, "by-query") + ": secret-looking value in request query",
        file(set, "by-path") + ": secret-looking value in request path",
        file(set, "by-escape") + ": secret-looking value in request body",
        file(set, "by-gzip") + ": secret-looking value in request body",
        file(set, "by-scope") + ": secret-looking value in tag",
        file(set, "by-br") + ": secret-looking value in response chunk 1",
        file(set, "by-basic") + ": secret-looking value in response header 'x-upstream-auth'",
        set + ": failed (7 problems)");
    secrets.forEach(s -> assertThat(report).doesNotContain(s));

    assertThat(run("fixtures", "redact", set.toString())).isZero();
    assertThat(run("fixtures", "verify", set.toString())).as(err.toString()).isZero();
    try (Stream<Path> files = Files.walk(set)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = read(f);
        assertThat(text).doesNotContain("content-encoding");
        secrets.forEach(s -> assertThat(text.contains(s)).as("a secret in %s", f).isFalse());
      }
    }
  }

  @Test
  void aBodyThatCannotBeDecodedFailsVerifyAndImport() {
    RecordedExchange zstd = exchange("by-zstd", request("/v1/chat/completions", "",
        List.of(new Header("content-encoding", "zstd")), new byte[] {40, -75, 47, -3, 0}));
    Path set = dir.resolve("set");
    FixtureWriter.write(set, "zstd", "", List.of(zstd));
    assertThat(run("fixtures", "verify", set.toString())).isEqualTo(1);
    assertThat(err.toString()).contains(file(set, "by-zstd") + ": secret-looking value in a "
        + "body it cannot check: request body has content-encoding 'zstd', which llmsim cannot "
        + "decode to check for secrets");

    Path store = dir.resolve("store");
    assertThat(run("fixtures", "import", set.toString(), "--store", store.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains(file(set, "by-zstd") + ": request body has "
        + "content-encoding 'zstd'");
    // Refused while reading the set, so no store was created.
    assertThat(store).doesNotExist();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = Main.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String secret(String s) {
    secrets.add(s);
    return s;
  }

  /** The set's file of an exchange: its name ends with the id. */
  private static Path file(Path set, String id) {
    try (Stream<Path> files = Files.walk(set.resolve("exchanges"))) {
      return files.filter(f -> f.getFileName().toString().endsWith("-" + id + ".json"))
          .findFirst().orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RecordedExchange exchange(String id, Request request) {
    return new RecordedExchange(id, "fp-" + id, "openai", "chat.completions", "gpt-4o",
        1_760_000_000_000L, request, 200, List.of(new Header("content-type", JSON)), 1000,
        List.of(new Chunk(2000, utf8("{\"id\":\"" + id + "\"}"))), null, true, List.of());
  }

  private static RecordedExchange withResponse(RecordedExchange e, List<Header> headers,
      byte[] body) {
    return e.withContent(e.request(), headers, List.of(new Chunk(2000, body)));
  }

  private static Request request(String path, String query, List<Header> extra, byte[] body) {
    List<Header> headers = new ArrayList<>(List.of(new Header("content-type", JSON)));
    headers.addAll(extra);
    return new Request("POST", path, query, headers, body);
  }

  private static String chat(String content) {
    return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content
        + "\"}]}";
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String key() {
    return "sk" + "-proj-" + random(48);
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

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
