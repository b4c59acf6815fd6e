package io.llmsim.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.Redactor;
import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.testkit.ContentEncodings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 5, through a real llmsim recording from WireMock into RocksDB: each way a client
 * or an upstream could encode a key past the redactor is sent, and no store file holds any key
 * afterwards, while a visible canary proves the store's bytes can be searched at all.
 */
class RedactionBypassTest {
  private static final String CHAT_PATH = "/v1/chat/completions";
  private static final long DECODE_LIMIT = 64 * 1024;

  @TempDir Path storeDir;
  private WireMockServer wiremock;
  private LlmSimServer server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> secrets = new ArrayList<>();
  private final String canary = "canary-" + alnum(24);

  @BeforeEach
  void start() throws Exception {
    wiremock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    wiremock.start();
    ServerConfig config = TestServers.forwardingConfig("http://127.0.0.1:" + wiremock.port(),
        storeDir, s -> s);
    server = LlmSimServer.start(config.withModes(config.modes().withRedaction(
        Redactor.builder().decodeLimit(DECODE_LIMIT).build(), Fingerprint.defaults())));
  }

  @AfterEach
  void stop() {
    server.close();
    wiremock.stop();
  }

  @Test
  void noEncodingOfAKeyReachesTheStore() throws Exception {
    wiremock.stubFor(post(urlPathEqualTo(CHAT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("content-type", "application/json").withBody(answer("plain"))));
    // An upstream that compresses although llmsim asked for identity, echoing a key.
    String echoed = key();
    byte[] gzippedAnswer = ContentEncodings.gzip(utf8(answer(echoed)));
    wiremock.stubFor(post(urlPathEqualTo(CHAT_PATH)).withRequestBody(containing("compress me"))
        .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
            .withHeader("content-encoding", "gzip").withBody(gzippedAnswer)));

    String queryKey = googleKey();
    record("?alt=json&k%65y=" + queryKey, chat(canary), List.of());
    String escaped = key();
    record("", chat("sk-\\u0070roj-" + escaped.substring("sk-proj-".length())), List.of());
    String gzipKey = key();
    record("", ContentEncodings.gzip(utf8(chat(gzipKey))), List.of("content-encoding", "gzip"));
    String brKey = key();
    record("", ContentEncodings.brotli(utf8(chat(brKey))), List.of("content-encoding", "br"));
    String deflateKey = key();
    record("", ContentEncodings.deflate(utf8(chat(deflateKey)), false),
        List.of("content-encoding", "deflate"));
    String scopeKey = key();
    record("", chat("scoped"), List.of("x-llmsim-scope", scopeKey));
    String basicKey = alnum(32);
    record("", chat("basic"), List.of("x-upstream-auth", "Basic "
        + Base64.getEncoder().encodeToString(utf8("svc:" + basicKey))));
    HttpResponse<byte[]> live = record("", chat("compress me"), List.of());
    assertThat(live.headers().firstValue("content-encoding")).hasValue("gzip");

    List<RecordedExchange> stored = Recordings.awaitStored(server, 8);
    assertThat(stored).hasSize(8);
    RecordedExchange compressed = stored.stream().filter(e -> new String(e.request().body(),
        StandardCharsets.UTF_8).contains("compress me")).findFirst().orElseThrow();
    assertThat(compressed.responseHeaders()).extracting(Header::name)
        .doesNotContain("content-encoding");
    assertThat(new String(Chunk.join(compressed.chunks()), StandardCharsets.UTF_8))
        .isEqualTo(answer(Redactor.REDACTED));
    RecordedExchange gzipped = stored.stream().filter(e -> e.request().headers().stream()
        .noneMatch(h -> h.name().equals("content-encoding")) && new String(e.request().body(),
        StandardCharsets.UTF_8).contains("[redacted]")).findFirst().orElseThrow();
    assertThat(gzipped.request().body()).isNotEmpty();
    assertThat(stored).allSatisfy(e -> assertThat(e.request().headers())
        .extracting(Header::name).doesNotContain("content-encoding"));
    assertThat(stored).anySatisfy(e -> assertThat(e.tags()).containsExactly("scope:[redacted]"));

    // Replay answers the decoded body, without claiming an encoding.
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response replayed = client.send(RawHttpClient.post(CHAT_PATH,
          chat("compress me"), "x-simulation-mode: replay; speed=max")).read();
      assertThat(replayed.status()).isEqualTo(200);
      assertThat(replayed.headers()).doesNotContainKey("content-encoding");
      assertThat(replayed.text()).isEqualTo(answer(Redactor.REDACTED));
    }

    secrets.addAll(List.of(queryKey, escaped, gzipKey, brKey, deflateKey, scopeKey, basicKey,
        echoed));
    server.close();
    assertNoSecretIn(storeDir);
    try (RocksDbExchangeStore store = RocksDbExchangeStore.open(storeDir)) {
      // Every value, through the codec: the decoded model holds no key either.
      store.forEach(e -> secrets.forEach(s -> assertThat(e.toString() + e.request().query()
          + e.request().headers() + e.request().path() + e.tags() + new String(
          e.request().body(), StandardCharsets.ISO_8859_1) + new String(Chunk.join(e.chunks()),
          StandardCharsets.ISO_8859_1)).doesNotContain(s)));
    }
  }

  @Test
  void aDecompressionBombIsAnsweredButNotStored() throws Exception {
    wiremock.stubFor(post(urlPathEqualTo(CHAT_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("content-type", "application/json").withBody(answer("plain"))));
    String inside = key();
    // The key sits past the limit, in a body of 512 KB that gzips to under 1 KB.
    byte[] bomb = ContentEncodings.gzip(utf8(chat(" ".repeat(512 * 1024) + inside)));
    assertThat(bomb.length).isLessThan(1024);
    HttpResponse<byte[]> live = record("", bomb, List.of("content-encoding", "gzip"));
    assertThat(live.statusCode()).isEqualTo(200);
    // A later, ordinary recording is stored: the store's thread went on.
    record("", chat(canary), List.of());
    List<RecordedExchange> stored = Recordings.awaitStored(server, 1);
    assertThat(stored).singleElement().satisfies(e -> assertThat(
        new String(e.request().body(), StandardCharsets.UTF_8)).contains(canary));
    secrets.add(inside);
    server.close();
    assertNoSecretIn(storeDir);
  }

  private HttpResponse<byte[]> record(String query, String body, List<String> headers)
      throws Exception {
    return record(query, utf8(body), headers);
  }

  private HttpResponse<byte[]> record(String query, byte[] body, List<String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.port() + CHAT_PATH + query))
        .header("content-type", "application/json")
        .header("x-simulation-mode", "record")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    HttpResponse<byte[]> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("answer to a recorded request").isEqualTo(200);
    return response;
  }

  private void assertNoSecretIn(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    boolean canarySeen = false;
    for (Path f : files) {
      // Latin-1 keeps every byte, so an ASCII secret anywhere in the file is found.
      String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String s : secrets) {
        assertThat(content.contains(s)).as("a secret in store file %s", f.getFileName())
            .isFalse();
      }
      canarySeen |= content.contains(canary);
    }
    assertThat(canarySeen).as("the canary is visible in the store files").isTrue();
  }

  private static String chat(String content) {
    return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content
        + "\"}]}";
  }

  private static String answer(String content) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
        + "\"finish_reason\":\"stop\"}]}";
  }

  /** Assembled at run time, so no key-shaped literal is in the source. */
  private static String key() {
    return "sk" + "-proj-" + alnum(48);
  }

  private static String googleKey() {
    return "AI" + "zaSy" + alnum(33);
  }

  private static String alnum(int n) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
