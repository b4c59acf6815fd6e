package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExchangeCodecTest {

  @Test
  void roundTripsAFullExchange() {
    RecordedExchange e = Samples.exchange("ex-1", "fp");
    byte[] bytes = ExchangeCodec.encode(e);
    assertThat(ExchangeCodec.versionOf(bytes)).isEqualTo(ExchangeCodec.VERSION);
    RecordedExchange back = ExchangeCodec.decode(bytes);
    assertThat(back).isEqualTo(e);
    assertThat(back.chunks().get(1).bytes()).isEqualTo(e.chunks().get(1).bytes());
    assertThat(back.request().headers()).containsExactlyElementsOf(e.request().headers());
  }

  @Test
  void anExchangeOverTheLimitIsRefusedWhenEncodedNotWhenReplayed() {
    RecordedExchange e = Samples.exchange("ex-big", "fp");
    byte[] bytes = ExchangeCodec.encode(e);
    // At the limit it encodes, and decodes: whatever encode accepts, decode reads.
    assertThat(ExchangeCodec.decode(ExchangeCodec.encode(e, bytes.length))).isEqualTo(e);
    assertThatThrownBy(() -> ExchangeCodec.encode(e, bytes.length - 1))
        .isInstanceOf(ExchangeTooLargeException.class)
        .hasMessage("exchange ex-big is " + bytes.length + " bytes, over the limit of "
            + (bytes.length - 1) + " bytes for one exchange");
    // Bodies alone over the limit are refused before a buffer is allocated for them.
    long bodies = e.bodyLength() + e.request().bodyLength();
    assertThatThrownBy(() -> ExchangeCodec.encode(e, bodies - 1))
        .isInstanceOf(ExchangeTooLargeException.class)
        .hasMessageContaining("is " + bodies + " bytes");
    assertThat(new ExchangeTooLargeException("x", 1, ExchangeTooLargeException.MAX_BYTES))
        .hasMessage("x is 1 bytes, over the limit of 256 MiB (268435456 bytes) for one "
            + "exchange");
  }

  @Test
  void roundTripsNullsEmptiesAndBinary() {
    byte[] binary = new byte[70_000];
    new Random(7).nextBytes(binary);
    RecordedExchange e = new RecordedExchange("é-ü-日本", "", "gemini", "generateContent", null,
        0L, new Request("GET", "/", null, List.of(), null), 0, List.of(), 0,
        List.of(new Chunk(0, new byte[0]), new Chunk(Long.MAX_VALUE, binary)), null, false,
        List.of());
    RecordedExchange back = ExchangeCodec.decode(ExchangeCodec.encode(e));
    assertThat(back).isEqualTo(e);
    assertThat(back.model()).isNull();
    assertThat(back.usage()).isNull();
    assertThat(back.request().query()).isEmpty();
    assertThat(back.complete()).isFalse();
  }

  @Test
  void roundTripsPartialUsageAndRepeatedHeaders() {
    RecordedExchange base = Samples.exchange("ex-2", "fp");
    RecordedExchange e = new RecordedExchange(base.id(), base.fingerprint(), base.provider(),
        base.endpoint(), base.model(), base.recordedAtMillis(), base.request(), 429,
        List.of(new Header("Set-Cookie", "a"), new Header("Set-Cookie", "b")),
        base.timeToHeadersMicros(), base.chunks(), new TokenUsage(null, 5L), false, base.tags());
    assertThat(ExchangeCodec.decode(ExchangeCodec.encode(e))).isEqualTo(e);
  }

  @Test
  void isCompact() {
    RecordedExchange e = Samples.exchange("ex-3", "fp");
    long payload = e.bodyLength() + e.request().bodyLength();
    assertThat(ExchangeCodec.encode(e).length).isLessThan((int) payload + 300);
  }

  @Test
  void refusesUnknownVersionTruncationAndForeignBytes() {
    byte[] bytes = ExchangeCodec.encode(Samples.exchange("ex-4", "fp"));
    byte[] future = bytes.clone();
    future[1] = 2;
    assertThatThrownBy(() -> ExchangeCodec.decode(future))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> ExchangeCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> ExchangeCodec.decode(new byte[] {'{', '}'}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magic");
  }

  @Test
  void recordIsImmutableAndToStringShowsNoContent() {
    byte[] body = Samples.utf8("secret-ish body");
    Request r = new Request("POST", "/x", "", List.of(new Header("h", "value-x")), body);
    body[0] = 'X';
    assertThat(r.body()[0]).isEqualTo((byte) 's');
    r.body()[0] = 'Y';
    assertThat(r.body()[0]).isEqualTo((byte) 's');
    RecordedExchange e = Samples.exchange("ex-5", "fp");
    assertThat(e.toString()).doesNotContain("Hel").doesNotContain("event-stream");
    assertThat(r.toString()).doesNotContain("value-x").doesNotContain("secret-ish");
  }
}
