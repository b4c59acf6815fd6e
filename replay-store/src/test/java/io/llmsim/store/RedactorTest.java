package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor = Redactor.defaults();

  @Test
  void replacesSecretHeadersInAnyCaseAndKeepsOrder() {
    String key = Samples.openAiKey();
    List<Header> in = List.of(
        new Header("Content-Type", "application/json"),
        new Header("Authorization", "Bearer " + key),
        new Header("X-API-KEY", Samples.anthropicKey()),
        new Header("api-key", "azure-" + Samples.randomAlnum(32)),
        new Header("x-goog-api-key", Samples.googleKey()),
        new Header("Cookie", "session=" + Samples.randomAlnum(20)),
        new Header("SET-COOKIE", "a=b"),
        new Header("Proxy-Authorization", "Basic " + Samples.randomAlnum(16)),
        new Header("anthropic-version", "2023-06-01"));
    List<Header> out = redactor.headers(in);
    assertThat(out).extracting(Header::name).containsExactlyElementsOf(
        in.stream().map(Header::name).toList());
    assertThat(out.subList(1, 8)).allSatisfy(h -> assertThat(h.value()).isEqualTo("[redacted]"));
    assertThat(out.get(0).value()).isEqualTo("application/json");
    assertThat(out.get(8).value()).isEqualTo("2023-06-01");
  }

  @Test
  void extraHeaderNamesAreConfigurable() {
    Redactor r = Redactor.builder().headers(List.of("X-Portkey-Api-Key")).build();
    assertThat(r.headerValue("x-portkey-api-key", "abc")).isEqualTo("[redacted]");
    assertThat(redactor.headerValue("x-portkey-api-key", "abc")).isEqualTo("abc");
  }

  @Test
  void secretPatternsInOtherHeaderValues() {
    String key = Samples.anthropicKey();
    assertThat(redactor.headerValue("x-forwarded-auth", "token " + key))
        .isEqualTo("token [redacted]");
    assertThat(redactor.headerValue("x-upstream", "Bearer " + Samples.randomAlnum(30)))
        .isEqualTo("Bearer [redacted]");
    assertThat(redactor.headerValue("x-other", "plain value sk-short")).isEqualTo(
        "plain value sk-short");
  }

  @Test
  void redactsTheKeyQueryParameterAndKeepsTheRest() {
    String key = Samples.googleKey();
    assertThat(redactor.query("alt=sse&key=" + key + "&x=1"))
        .isEqualTo("alt=sse&key=[redacted]&x=1");
    assertThat(redactor.query("KEY=abc")).isEqualTo("KEY=[redacted]");
    assertThat(redactor.query("monkey=1&a=&&b")).isEqualTo("monkey=1&a=&&b");
    assertThat(redactor.query("")).isEmpty();
    assertThat(redactor.query("other=" + key)).isEqualTo("other=[redacted]");
  }

  @Test
  void redactsPatternsInBodiesAndKeepsOtherBytesExactly() {
    String key = Samples.openAiKey();
    byte[] body = ("{\"note\":\"my key is " + key + " ok\",\"t\":\"caf\u00e9 \ud83d\ude00\"}\r\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = redactor.bytes(body);
    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo("{\"note\":\"my key is [redacted] ok\",\"t\":\"caf\u00e9 \ud83d\ude00\"}\r\n");
    byte[] clean = Samples.utf8("data: {\"x\":1}\n\n");
    assertThat(redactor.bytes(clean)).isSameAs(clean);
  }

  @Test
  void redactsConfiguredJsonPointerFields() {
    Redactor r = Redactor.builder().bodyFields(List.of("/metadata/tenant_secret", "/list/1"))
        .build();
    byte[] body = Samples.utf8("{\"metadata\":{\"tenant_secret\":\"hunter2\",\"k\":1},"
        + "\"list\":[\"a\",\"b\"]}");
    assertThat(new String(r.requestBody(body), StandardCharsets.UTF_8)).isEqualTo(
        "{\"metadata\":{\"tenant_secret\":\"[redacted]\",\"k\":1},"
            + "\"list\":[\"a\",\"[redacted]\"]}");
    byte[] notJson = Samples.utf8("tenant_secret=hunter2");
    assertThat(r.requestBody(notJson)).isEqualTo(notJson);
  }

  @Test
  void extraPatterns() {
    Redactor r = Redactor.builder().patterns(List.of("corp-[0-9a-f]{12}")).build();
    assertThat(r.redactText("id corp-0123456789ab end")).isEqualTo("id [redacted] end");
  }

  @Test
  void redactsAWholeExchange() {
    String key = Samples.openAiKey();
    String gkey = Samples.googleKey();
    RecordedExchange base = Samples.exchange("ex", "fp");
    Request req = new Request("POST", "/v1beta/models/gemini:streamGenerateContent",
        "alt=sse&key=" + gkey, List.of(new Header("Authorization", "Bearer " + key)),
        Samples.utf8("{\"contents\":[],\"api_key\":\"" + key + "\"}"));
    RecordedExchange e = base.withContent(req, List.of(new Header("Set-Cookie", "s=1")),
        List.of(new Chunk(5, Samples.utf8("echo " + key))));
    RecordedExchange r = redactor.redact(e);
    String all = r.request().query() + r.request().headers() + r.request().headers().get(0).value()
        + new String(r.request().body(), StandardCharsets.UTF_8)
        + r.responseHeaders().get(0).value()
        + new String(r.chunks().get(0).bytes(), StandardCharsets.UTF_8);
    assertThat(all).doesNotContain(key).doesNotContain(gkey).contains("[redacted]");
    assertThat(r.id()).isEqualTo(e.id());
    assertThat(r.chunks().get(0).offsetMicros()).isEqualTo(5);
  }

  private static Chunk chunk(long offset, String text) {
    return new Chunk(offset, text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> texts(List<Chunk> chunks) {
    return chunks.stream().map(c -> new String(c.bytes(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void aKeySplitAcrossChunksIsFoundAndTheChunksKeepTheirPlaces() {
    String key = "sk-proj-test-SplitAcross-ThreeChunks-0123";
    List<Chunk> in = List.of(
        chunk(10, "data: {\"echo\":\"" + key.substring(0, 12)),
        chunk(20, key.substring(12, 25)),
        chunk(30, key.substring(25) + "\"}\n\n"),
        chunk(40, "data: [DONE]\n\n"));

    List<Chunk> out = Redactor.defaults().chunks(in);

    assertThat(out).extracting(Chunk::offsetMicros).containsExactly(10L, 20L, 30L, 40L);
    assertThat(texts(out)).containsExactly(
        "data: {\"echo\":\"[redacted]", "", "\"}\n\n", "data: [DONE]\n\n");
    assertThat(String.join("", texts(out))).doesNotContain("SplitAcross");
  }

  @Test
  void chunksWithoutSecretsAreReturnedAsTheyWere() {
    List<Chunk> in = List.of(chunk(1, "data: {\"a\":1}\n\n"), chunk(2, "data: [DONE]\n\n"));
    assertThat(Redactor.defaults().chunks(in)).isSameAs(in);
  }

  @Test
  void twoSecretsInOneChunkAndOneSpanningTheNextAreAllRedacted() {
    String a = "sk-aaaaaaaaaaaaaaaaaaaaaaaa";
    String b = "Bearer bbbbbbbbbbbbbbbbbbbbbb";
    List<Chunk> in = List.of(chunk(1, a + " and " + b.substring(0, 10)), chunk(2, b.substring(10)
        + " end"));
    assertThat(texts(Redactor.defaults().chunks(in)))
        .containsExactly("[redacted] and Bearer [redacted]", " end");
  }
}
