package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmsim.store.ContentDecoding.UndecodableBodyException;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.testkit.ContentEncodings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 5: an encoding cannot hide a secret from the redactor. Each bypass below was stored
 * as it was before the redactor normalised what it matches.
 */
class RedactorNormalisationTest {
  private final Redactor redactor = Redactor.defaults();

  @Test
  void aPercentEncodedQueryNameOrValueIsMatchedDecoded() {
    String key = Samples.googleKey();
    assertThat(redactor.query("alt=sse&k%65y=" + key)).isEqualTo("alt=sse&k%65y=[redacted]");
    assertThat(redactor.query("%4B%45%59=abc")).isEqualTo("%4B%45%59=[redacted]");
    String hidden = key.substring(0, 2) + "%" + Integer.toHexString(key.charAt(2))
        + key.substring(3);
    assertThat(redactor.query("q=" + hidden)).isEqualTo("q=[redacted]");
    assertThat(redactor.query("token=Bearer+" + Samples.randomAlnum(30)))
        .isEqualTo("token=[redacted]");
    assertThat(redactor.query("monkey=1&100%25=ok&bad=%zz")).isEqualTo(
        "monkey=1&100%25=ok&bad=%zz");
  }

  @Test
  void aPathSegmentHidingAKeyIsRedacted() {
    String key = Samples.openAiKey();
    String encoded = "sk%2D" + key.substring(3);
    assertThat(redactor.path("/v1/keys/" + encoded + "/usage")).isEqualTo(
        "/v1/keys/[redacted]/usage");
    assertThat(redactor.path("/v1beta/models/gemini-2.5-flash:generateContent"))
        .isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void aKeyWrittenWithJsonEscapesIsRedactedWholeAndOtherBytesStay() {
    String key = Samples.openAiKey();
    String escaped = "sk-\\u0070roj-" + key.substring(8);
    String body = "{\"model\":\"gpt-4o\",  \"messages\":[{\"role\":\"user\",\"content\":\"k="
        + escaped + "\"}],\"note\":\"a\\nb\"}";
    String out = new String(redactor.requestBody(utf8(body)), StandardCharsets.UTF_8);
    assertThat(out).isEqualTo("{\"model\":\"gpt-4o\",  \"messages\":[{\"role\":\"user\","
        + "\"content\":\"[redacted]\"}],\"note\":\"a\\nb\"}");
    // Every character escaped, and JSON inside a JSON string (tool call arguments).
    StringBuilder all = new StringBuilder();
    key.chars().forEach(c -> all.append(String.format("\\u%04x", c)));
    assertThat(redactor.redactText("{\"a\":\"" + all + "\"}")).isEqualTo("{\"a\":\"[redacted]\"}");
    String nested = "{\"arguments\":\"{\\\"key\\\":\\\"sk-\\\\u0070roj-" + key.substring(8)
        + "\\\"}\"}";
    assertThat(redactor.redactText(nested)).isEqualTo("{\"arguments\":\"[redacted]\"}");
  }

  @Test
  void anEscapedKeyInAStreamIsFoundInItsChunkAndTheTimingStays() {
    String key = Samples.anthropicKey();
    String escaped = "sk-\\u0061nt-" + key.substring(7);
    List<Chunk> in = List.of(
        new Chunk(1_000, utf8("data: {\"delta\":{\"text\":\"your key: " + escaped + "\"}}\n\n")),
        new Chunk(2_000, utf8("data: {\"delta\":{\"text\":\"\\u00e9\"}}\n\n")));
    List<Chunk> out = redactor.chunks(in);
    assertThat(out).extracting(Chunk::offsetMicros).containsExactly(1_000L, 2_000L);
    assertThat(text(out.get(0).bytes())).isEqualTo("data: {\"delta\":{\"text\":\"[redacted]\"}}\n\n");
    assertThat(out.get(1).bytes()).isEqualTo(in.get(1).bytes());
  }

  @Test
  void escapedJsonKeyNamesMatchConfiguredBodyFields() {
    Redactor r = Redactor.builder().bodyFields(List.of("/metadata/api_key")).build();
    String body = "{\"metadata\":{\"api\\u005fkey\":\"tenant-" + Samples.randomAlnum(20) + "\"}}";
    assertThat(text(r.requestBody(utf8(body))))
        .isEqualTo("{\"metadata\":{\"api_key\":\"[redacted]\"}}");
  }

  @Test
  void basicCredentialsAreRedactedAndOrdinaryWordsAreNot() {
    String credential = Base64.getEncoder().encodeToString(
        utf8("user:" + Samples.randomAlnum(20)));
    assertThat(redactor.headerValue("x-upstream-auth", "Basic " + credential))
        .isEqualTo("Basic [redacted]");
    assertThat(redactor.redactText("a BASIC " + credential + " here"))
        .isEqualTo("a BASIC [redacted] here");
    String prose = "This is a basic example of basic usage and basic information.";
    assertThat(redactor.redactText(prose)).isSameAs(prose);
  }

  @Test
  void encodedRequestBodiesAreStoredDecodedAndRedacted() {
    for (String coding : List.of("gzip", "deflate", "br", "gzip, br")) {
      String key = Samples.openAiKey();
      byte[] plain = utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
          + key + "\"}]}");
      RecordedExchange e = exchangeWithRequestBody(coding, encode(coding, plain));
      RecordedExchange r = redactor.redact(e);
      assertThat(text(r.request().body())).as(coding).isEqualTo(
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"[redacted]\"}]}");
      assertThat(r.request().headers()).as(coding).extracting(Header::name)
          .containsExactly("content-type");
    }
  }

  @Test
  void rawDeflateIsReadToo() {
    String key = Samples.openAiKey();
    byte[] raw = ContentEncodings.deflate(utf8("{\"k\":\"" + key + "\"}"), true);
    RecordedExchange r = redactor.redact(exchangeWithRequestBody("deflate", raw));
    assertThat(text(r.request().body())).isEqualTo("{\"k\":\"[redacted]\"}");
  }

  @Test
  void anEncodedResponseIsDecodedChunkByChunkAtItsOffsets() {
    String key = Samples.openAiKey();
    String[] events = {"data: {\"n\":1}\n\n", "data: {\"echo\":\"" + key + "\"}\n\n",
        "data: [DONE]\n\n"};
    byte[] gz = ContentEncodings.gzip(utf8(String.join("", events)));
    // Three network chunks cutting the gzip stream anywhere.
    int a = gz.length / 3;
    int b = 2 * gz.length / 3;
    List<Chunk> chunks = List.of(new Chunk(10, Arrays.copyOfRange(gz, 0, a)),
        new Chunk(20, Arrays.copyOfRange(gz, a, b)), new Chunk(30, Arrays.copyOfRange(gz, b,
            gz.length)));
    RecordedExchange e = Samples.exchange("gz", "fp").withContent(
        Samples.exchange("gz", "fp").request(), List.of(new Header("Content-Type",
            "text/event-stream"), new Header("Content-Encoding", "gzip"),
            new Header("Content-Length", String.valueOf(gz.length))), chunks);
    RecordedExchange r = redactor.redact(e);
    assertThat(r.responseHeaders()).extracting(Header::name).containsExactly("Content-Type");
    assertThat(text(Chunk.join(r.chunks()))).isEqualTo("data: {\"n\":1}\n\ndata: {\"echo\":\""
        + "[redacted]\"}\n\ndata: [DONE]\n\n");
    assertThat(r.chunks()).extracting(Chunk::offsetMicros).isSubsetOf(10L, 20L, 30L)
        .isSorted();
  }

  @Test
  void aDecompressionBombIsRefusedWithoutDecodingItWhole() {
    byte[] zeros = new byte[8 * 1024 * 1024];
    byte[] bomb = ContentEncodings.gzip(zeros);
    assertThat(bomb.length).isLessThan(64 * 1024);
    Redactor small = Redactor.builder().decodeLimit(1024 * 1024).build();
    assertThatThrownBy(() -> small.redact(exchangeWithRequestBody("gzip", bomb)))
        .isInstanceOf(UndecodableBodyException.class)
        .hasMessage("request body decodes to more than 1048576 bytes (gzip)");
    byte[] brBomb = ContentEncodings.brotli(new byte[1024 * 1024 + 1]);
    assertThatThrownBy(() -> small.redact(exchangeWithRequestBody("br", brBomb)))
        .isInstanceOf(UndecodableBodyException.class)
        .hasMessage("request body decodes to more than 1048576 bytes (br)");
  }

  @Test
  void anUnknownOrCorruptEncodingIsRefusedAndTheMessageHoldsNoBytes() {
    String key = Samples.openAiKey();
    assertThatThrownBy(() -> redactor.redact(exchangeWithRequestBody("zstd", utf8(key))))
        .isInstanceOf(UndecodableBodyException.class)
        .hasMessageContaining("content-encoding 'zstd'").hasMessageNotContaining(key);
    assertThatThrownBy(() -> redactor.redact(exchangeWithRequestBody("gzip", utf8(key))))
        .isInstanceOf(UndecodableBodyException.class).hasMessageNotContaining(key);
    assertThatThrownBy(() -> redactor.redact(exchangeWithRequestBody("br", utf8(key))))
        .isInstanceOf(UndecodableBodyException.class).hasMessageNotContaining(key);
  }

  @Test
  void aCutEncodedStreamKeepsWhatDecodedBeforeTheCut() {
    byte[] gz = ContentEncodings.gzip(utf8("data: {\"n\":1}\n\n".repeat(50)));
    RecordedExchange cut = new RecordedExchange("c", "fp", "openai", "chat.completions", null, 0,
        Samples.exchange("c", "fp").request(), 200, List.of(new Header("content-encoding",
            "gzip")), 0, List.of(new Chunk(5, Arrays.copyOf(gz, gz.length - 10))), null, false,
        List.of());
    RecordedExchange r = redactor.redact(cut);
    assertThat(text(Chunk.join(r.chunks()))).startsWith("data: {\"n\":1}\n\n");
    RecordedExchange whole = new RecordedExchange("w", "fp", "openai", "chat.completions", null,
        0, cut.request(), 200, cut.responseHeaders(), 0, cut.chunks(), null, true, List.of());
    assertThatThrownBy(() -> redactor.redact(whole)).isInstanceOf(UndecodableBodyException.class)
        .hasMessage("response body ends inside its gzip encoding");
  }

  @Test
  void tagsAndTheModelAreRedacted() {
    String key = Samples.openAiKey();
    RecordedExchange e = new RecordedExchange("t", "fp", "openai", "chat.completions", key, 0,
        Samples.exchange("t", "fp").request(), 200, List.of(), 0, List.of(), null, true,
        List.of("scope:" + key, "smoke"));
    RecordedExchange r = redactor.redact(e);
    assertThat(r.tags()).containsExactly("scope:[redacted]", "smoke");
    assertThat(r.model()).isEqualTo("[redacted]");
  }

  private static RecordedExchange exchangeWithRequestBody(String coding, byte[] body) {
    RecordedExchange base = Samples.exchange("enc", "fp");
    Request r = new Request("POST", "/v1/chat/completions", "", List.of(
        new Header("content-type", "application/json"), new Header("Content-Encoding", coding),
        new Header("content-length", String.valueOf(body.length))), body);
    return base.withContent(r, base.responseHeaders(), base.chunks());
  }

  private static byte[] encode(String codings, byte[] plain) {
    byte[] out = plain;
    for (String coding : codings.split(",\\s*")) {
      UnaryOperator<byte[]> encoder = switch (coding) {
        case "gzip" -> ContentEncodings::gzip;
        case "deflate" -> b -> ContentEncodings.deflate(b, false);
        case "br" -> ContentEncodings::brotli;
        default -> throw new IllegalArgumentException(coding);
      };
      out = encoder.apply(out);
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
