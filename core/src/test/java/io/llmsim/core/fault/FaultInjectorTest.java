package io.llmsim.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmsim.core.anthropic.AnthropicDialect;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.gemini.GeminiDialect;
import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.mode.SimulationModeException;
import io.llmsim.core.openai.OpenAiDialect;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Fault transformers on fixed plans: what each fault does to status, headers and frames. */
class FaultInjectorTest {
  private static final long MS = 1_000_000L;

  private static ApiRequest request(String path) {
    return new ApiRequest("POST", path, Map.of(),
        "{\"stream\":true,\"model\":\"gpt-4o\"}".getBytes(StandardCharsets.UTF_8), 0);
  }

  /** Five SSE frames 10 ms apart, headers at 5 ms. */
  private static ResponsePlan stream() {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      frames.add(new Frame((10 + 10 * i) * MS,
          ("data: {\"i\":" + i + ",\"text\":\"hello\"}\n\n").getBytes(StandardCharsets.UTF_8)));
    }
    return new ResponsePlan(200, List.of(Map.entry("content-type", "text/event-stream")), true,
        5 * MS, FrameSource.of(frames));
  }

  private static Fault fault(String header) {
    return Fault.from(SimulationMode.parse("synthesize; " + header));
  }

  private static List<Frame> drain(ResponsePlan plan) {
    List<Frame> frames = new ArrayList<>();
    for (Frame f = plan.frames().next(); f != null; f = plan.frames().next()) {
      frames.add(f);
    }
    return frames;
  }

  private static String text(Frame frame) {
    return new String(frame.bytes(), StandardCharsets.UTF_8);
  }

  private static ResponsePlan apply(String header, Dialect dialect, String path) {
    return FaultInjector.transform(stream(), fault(header), dialect, request(path));
  }

  @Test
  void rateLimitIsTheDialectsErrorWithAgreeingRetryHeaders() {
    ResponsePlan plan = apply("fault=rate_limit; retry-after=3", OpenAiDialect.INSTANCE,
        "/v1/chat/completions");
    assertThat(plan.status()).isEqualTo(429);
    assertThat(plan.streaming()).isFalse();
    assertThat(plan.headers()).contains(Map.entry("retry-after", "3"),
        Map.entry("retry-after-ms", "3000"), Map.entry("x-ratelimit-remaining-requests", "0"));
    assertThat(plan.headers()).extracting(Map.Entry::getKey).doesNotContain("x-should-retry");
    assertThat(text(drain(plan).get(0))).contains("\"code\":\"rate_limit_exceeded\"");

    ResponsePlan anthropic = apply("fault=rate_limit", AnthropicDialect.INSTANCE, "/v1/messages");
    assertThat(anthropic.headers()).contains(Map.entry("retry-after", "1"),
        Map.entry("retry-after-ms", "1000"),
        Map.entry("anthropic-ratelimit-requests-remaining", "0"));
    assertThat(text(drain(anthropic).get(0))).contains("\"type\":\"rate_limit_error\"");

    ResponsePlan azure = apply("fault=rate_limit", io.llmsim.core.azure.AzureDialect.INSTANCE,
        "/openai/deployments/d/chat/completions");
    assertThat(azure.headers()).contains(Map.entry("x-ratelimit-remaining-tokens", "0"))
        .extracting(Map.Entry::getKey).doesNotContain("x-ratelimit-limit-requests");
    assertThat(text(drain(azure).get(0))).contains("\"code\":\"429\"");
  }

  @Test
  void anErrorAfterMoreFramesThanTheStreamHasStillComesBeforeItsLastFrame() {
    List<Frame> frames = drain(apply("fault=server_error; after=50", OpenAiDialect.INSTANCE,
        "/v1/chat/completions"));
    // Frames 0..3, then the error in place of the last frame (the stream's terminator).
    assertThat(frames).hasSize(5);
    assertThat(text(frames.get(3))).contains("\"i\":3");
    assertThat(text(frames.get(4))).startsWith("data: {\"error\"");
    assertThat(frames.get(4).offsetNanos()).isEqualTo(50 * MS);
  }

  @Test
  void overloadedIs529AtAnthropicAnd503Elsewhere() {
    assertThat(apply("fault=overloaded", AnthropicDialect.INSTANCE, "/v1/messages").status())
        .isEqualTo(529);
    assertThat(apply("fault=overloaded", OpenAiDialect.INSTANCE, "/v1/chat/completions")
        .status()).isEqualTo(503);
    assertThat(apply("fault=overloaded", GeminiDialect.INSTANCE, "/v1beta/models/x").status())
        .isEqualTo(503);
    assertThat(apply("fault=server_error", OpenAiDialect.INSTANCE, "/v1/x").status())
        .isEqualTo(500);
    assertThat(apply("fault=unavailable", OpenAiDialect.INSTANCE, "/v1/x").status())
        .isEqualTo(503);
    assertThat(apply("fault=auth", AnthropicDialect.INSTANCE, "/v1/messages").status())
        .isEqualTo(401);
  }

  @Test
  void contextLengthUsesOpenAisCodeAndParam() {
    ResponsePlan plan = apply("fault=context_length", OpenAiDialect.INSTANCE,
        "/v1/chat/completions");
    assertThat(plan.status()).isEqualTo(400);
    assertThat(text(drain(plan).get(0)))
        .contains("\"param\":\"messages\"", "\"code\":\"context_length_exceeded\"",
            "maximum context length");
  }

  @Test
  void errorAfterNFramesEndsTheStreamWithTheInStreamForm() {
    List<Frame> frames = drain(apply("fault=server_error; after=2", OpenAiDialect.INSTANCE,
        "/v1/chat/completions"));
    assertThat(frames).hasSize(3);
    assertThat(text(frames.get(1))).contains("\"i\":1");
    assertThat(text(frames.get(2))).startsWith("data: {\"error\":{").endsWith("}}\n\n");
    assertThat(frames.get(2).offsetNanos()).isEqualTo(30 * MS);

    Frame responses = drain(apply("fault=rate_limit; after=1", OpenAiDialect.INSTANCE,
        "/v1/responses")).get(1);
    assertThat(text(responses)).startsWith("event: error\ndata: {\"type\":\"error\"")
        .contains("\"code\":\"rate_limit_exceeded\"");
    Frame anthropic = drain(apply("fault=overloaded; after=1", AnthropicDialect.INSTANCE,
        "/v1/messages")).get(1);
    assertThat(text(anthropic)).startsWith("event: error\ndata: ")
        .contains("\"overloaded_error\"");
    Frame gemini = drain(apply("fault=unavailable; after=1", GeminiDialect.INSTANCE,
        "/v1beta/models/m:streamGenerateContent?alt=sse")).get(1);
    assertThat(text(gemini)).startsWith("data: {\"error\":{\"code\":503")
        .contains("\"UNAVAILABLE\"").endsWith("\n\n");
  }

  @Test
  void aResponsesErrorTakesTheNextSequenceNumberOfItsStream() {
    List<Frame> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(new Frame(i * MS, ("event: response.output_text.delta\ndata: {\"type\":"
          + "\"response.output_text.delta\",\"sequence_number\":" + i + ",\"delta\":\"x\"}\n\n")
          .getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(errorSequenceNumber(events, "after=3")).isEqualTo(3);
    // A stream shorter than after: the error replaces its terminal event and takes its number.
    assertThat(errorSequenceNumber(events, "after=50")).isEqualTo(4);

    // Forwarded frames are network chunks: the last one before the error may hold only the end
    // of an event, and one chunk may hold several.
    String wire = new String(events.get(0).bytes(), StandardCharsets.UTF_8)
        + new String(events.get(1).bytes(), StandardCharsets.UTF_8);
    List<Frame> chunks = List.of(frame(wire), frame("event: response.output_text.delta\ndata: "
        + "{\"type\":\"response.output_text.delta\",\"sequence_number\":2,"),
        frame("\"delta\":\"x\"}\n\n"), frame("event: response.completed\n"));
    assertThat(errorSequenceNumber(chunks, "after=3")).isEqualTo(3);
    assertThat(errorSequenceNumber(chunks, "after=1")).isEqualTo(2);
  }

  /** The {@code sequence_number} of the Responses error a server_error fault adds to frames. */
  private static long errorSequenceNumber(List<Frame> frames, String after) {
    ResponsePlan plan = new ResponsePlan(200, List.of(), true, 0, FrameSource.of(frames));
    List<Frame> out = drain(FaultInjector.transform(plan, fault("fault=server_error; " + after),
        OpenAiDialect.INSTANCE, request("/v1/responses")));
    String error = text(out.get(out.size() - 1));
    assertThat(error).startsWith("event: error\ndata: {\"type\":\"error\"");
    Matcher number = Pattern.compile("\"sequence_number\":(\\d+)").matcher(error);
    assertThat(number.find()).isTrue();
    return Long.parseLong(number.group(1));
  }

  private static Frame frame(String text) {
    return new Frame(0, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void disconnectCutsAfterNFrames() {
    List<Frame> frames = drain(apply("fault=disconnect; after=2", OpenAiDialect.INSTANCE,
        "/v1/chat/completions"));
    assertThat(frames).hasSize(3);
    assertThat(frames.get(1).isDisconnect()).isFalse();
    assertThat(frames.get(2).isDisconnect()).isTrue();
    assertThat(frames.get(2).offsetNanos()).isEqualTo(30 * MS);

    List<Frame> first = drain(apply("fault=disconnect", OpenAiDialect.INSTANCE, "/v1/x"));
    assertThat(first).hasSize(1);
    assertThat(first.get(0).isDisconnect()).isTrue();
    // An empty frame of its own is never taken for the marker.
    assertThat(new Frame(0, new byte[0]).isDisconnect()).isFalse();
  }

  @Test
  void timeoutIsSilenceForHangThenACut() {
    ResponsePlan plan = apply("fault=timeout; hang=250", OpenAiDialect.INSTANCE, "/v1/x");
    List<Frame> frames = drain(plan);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).isDisconnect()).isTrue();
    assertThat(frames.get(0).offsetNanos()).isEqualTo(250 * MS);
    assertThat(fault("fault=timeout").timeoutNanos()).isEqualTo(Fault.MAX_HANG_MILLIS * MS);
  }

  @Test
  void malformedInsertsOneCutEventAndTheStreamContinues() {
    List<Frame> frames = drain(apply("fault=malformed; after=1", OpenAiDialect.INSTANCE,
        "/v1/chat/completions"));
    assertThat(frames).hasSize(6);
    String broken = text(frames.get(1));
    assertThat(broken).startsWith("data: {\"i\":1").endsWith("\n\n")
        .doesNotContain("hello\"}");
    assertThat(text(frames.get(2))).isEqualTo("data: {\"i\":1,\"text\":\"hello\"}\n\n");
    assertThat(text(frames.get(5))).contains("\"i\":4");
  }

  @Test
  void slowStretchesEveryOffsetAndStallDelaysTheRest() {
    ResponsePlan slow = apply("fault=slow", OpenAiDialect.INSTANCE, "/v1/x");
    assertThat(slow.headersOffsetNanos()).isEqualTo(25 * MS);
    assertThat(drain(slow)).extracting(Frame::offsetNanos)
        .containsExactly(50 * MS, 100 * MS, 150 * MS, 200 * MS, 250 * MS);

    ResponsePlan stall = apply("fault=stall; after=2; hang=1000", OpenAiDialect.INSTANCE,
        "/v1/x");
    assertThat(drain(stall)).extracting(Frame::offsetNanos)
        .containsExactly(10 * MS, 20 * MS, 1030 * MS, 1040 * MS, 1050 * MS);
    assertThat(fault("fault=stall").stallNanos()).isEqualTo(5000 * MS);
  }

  @Test
  void faultRateIsRepeatableWithASeedAndCounted() {
    Fault half = fault("fault=rate_limit; fault-rate=0.5");
    for (long seed = 0; seed < 20; seed++) {
      boolean first = half.strikes(seed);
      assertThat(half.strikes(seed)).isEqualTo(first);
    }
    long struck = java.util.stream.LongStream.range(0, 1000).filter(half::strikes).count();
    assertThat(struck).isBetween(400L, 600L);
    assertThat(fault("fault=rate_limit; fault-rate=0").strikes(1L)).isFalse();

    FaultInjector injector = new FaultInjector(new FaultCounter());
    ResponsePlan plain = stream();
    assertThat(injector.apply(plain, null, null, OpenAiDialect.INSTANCE,
        request("/v1/chat/completions"))).isSameAs(plain);
    injector.apply(stream(), fault("fault=server_error"), null, OpenAiDialect.INSTANCE,
        request("/v1/chat/completions"));
    injector.apply(stream(), fault("fault=server_error"), null, OpenAiDialect.INSTANCE,
        request("/v1/chat/completions"));
    assertThat(injector.counter().count(FaultKind.SERVER_ERROR, "openai", "gpt-4o"))
        .isEqualTo(2);
    assertThat(injector.counter().snapshot()).hasSize(1);
    ResponsePlan notFound = ResponsePlan.json(404, List.of(), "{}");
    assertThat(injector.apply(notFound, fault("fault=server_error"), null,
        OpenAiDialect.INSTANCE, request("/v1/chat/completions"))).isSameAs(notFound);
    assertThat(injector.counter().count(FaultKind.SERVER_ERROR, "openai", "gpt-4o"))
        .isEqualTo(2);
  }

  @Test
  void badValuesNameTheirToken() {
    assertThatThrownBy(() -> fault("fault=bogus")).isInstanceOf(SimulationModeException.class)
        .hasMessageContaining("'bogus'").hasMessageContaining("rate_limit");
    assertThatThrownBy(() -> fault("fault=slow; fault-rate=1.5"))
        .hasMessageContaining("fault-rate").hasMessageContaining("'1.5'");
    assertThatThrownBy(() -> fault("fault=slow; after=-1")).hasMessageContaining("after");
    assertThatThrownBy(() -> fault("fault=rate_limit; retry-after=soon"))
        .hasMessageContaining("retry-after").hasMessageContaining("'soon'");
    assertThatThrownBy(() -> fault("fault=timeout; hang=1e3")).hasMessageContaining("hang");
    assertThatThrownBy(() -> fault("after=2")).hasMessageContaining("needs a fault");
  }
}
