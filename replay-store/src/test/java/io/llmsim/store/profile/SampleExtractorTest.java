package io.llmsim.store.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.llmsim.core.latency.fit.ExchangeSample;
import io.llmsim.core.tokens.Tokenizer;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per provider: which events count as output, and where token counts come from. */
class SampleExtractorTest {
  private static RecordedExchange exchange(String provider, String endpoint, String path,
      String requestBody, List<Chunk> chunks, TokenUsage usage) {
    return new RecordedExchange("x", "fp", provider, endpoint, "gpt-4o", 0,
        new Request("POST", path, "", List.of(), requestBody.getBytes(StandardCharsets.UTF_8)),
        200, List.of(new Header("Content-Type", "text/event-stream")), 1_000, chunks, usage, true,
        List.of());
  }

  private static Chunk chunk(long micros, String text) {
    return new Chunk(micros, text.getBytes(StandardCharsets.UTF_8));
  }

  private static ExchangeSample sample(RecordedExchange e) {
    SampleExtractor.Result result = SampleExtractor.extract(e);
    assertThat(result.skipped()).isNull();
    return result.sample();
  }

  @Test
  void openAiChatTimesFromTheFirstContentNotTheRoleChunk() {
    ExchangeSample s = sample(OpenAiStreams.exchange("a", "gpt-4o", 1234, 400_000,
        new long[] {10_000, 20_000, 0, 5_500}));
    assertThat(s.ttftMs()).isEqualTo(400.0);
    assertThat(s.gapsMs()).containsExactly(10.0, 20.0, 0.0, 5.5);
    assertThat(s.promptTokens()).isEqualTo(1234);
    assertThat(s.outputTokens()).isEqualTo(5);
    assertThat(s.tokensPerChunk()).containsOnly(1.0).hasSize(5);
    assertThat(s.outputTokensPerSecond()).isCloseTo(4 / 0.0355, within(1e-9));
  }

  @Test
  void openAiToolCallArgumentsCountAsOutput() {
    String head = "data: {\"choices\":[{\"index\":0,\"delta\":";
    ExchangeSample s = sample(exchange("openai", "chat.completions", "/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}]}",
        List.of(
            chunk(100_000, head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
                + "\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":"
                + "\"w\",\"arguments\":\"\"}}]}}]}\n\n"),
            chunk(150_000, head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + "\"{\\\"city\"}}]}}]}\n\n"),
            chunk(170_000, head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                + "\"\\\":\\\"Oslo\\\"}\"}}]}}]}\n\n"),
            chunk(180_000, "data: [DONE]\n\n")),
        null));
    assertThat(s.ttftMs()).isEqualTo(150.0);
    assertThat(s.gapsMs()).containsExactly(20.0);
    // No usage anywhere: both sides are counted with the model's tokenizer.
    Tokenizer t = Tokenizer.forModel("gpt-4o");
    assertThat(s.outputTokens()).isEqualTo(t.count("{\"city") + t.count("\":\"Oslo\"}"));
    assertThat(s.promptTokens()).isEqualTo(t.count("user\nWeather in Oslo?\n"));
  }

  @Test
  void openAiResponsesCountsOutputTextDeltasAndReadsUsageFromCompleted() {
    ExchangeSample s = sample(exchange("openai", "responses", "/v1/responses", "{}", List.of(
        chunk(50_000, "event: response.created\ndata: {\"type\":\"response.created\"}\n\n"
            + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\"}\n\n"),
        chunk(300_000, "event: response.output_text.delta\ndata: {\"type\":"
            + "\"response.output_text.delta\",\"delta\":\"Oslo\"}\n\n"),
        chunk(320_000, "event: response.output_text.delta\ndata: {\"type\":"
            + "\"response.output_text.delta\",\"delta\":\".\"}\n\n"
            + "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\","
            + "\"text\":\"Oslo.\"}\n\n"),
        chunk(330_000, "event: response.completed\ndata: {\"type\":\"response.completed\","
            + "\"response\":{\"usage\":{\"input_tokens\":41,\"output_tokens\":2}}}\n\n")),
        null));
    assertThat(s.ttftMs()).isEqualTo(300.0);
    assertThat(s.gapsMs()).containsExactly(20.0);
    assertThat(s.promptTokens()).isEqualTo(41);
    assertThat(s.outputTokens()).isEqualTo(2);
  }

  @Test
  void anthropicCountsContentBlockDeltasButNotPingsOrSignatures() {
    String delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":";
    ExchangeSample s = sample(exchange("anthropic", "messages", "/v1/messages", "{}", List.of(
        chunk(200_000, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{"
            + "\"usage\":{\"input_tokens\":377,\"cache_read_input_tokens\":23,\"output_tokens\":1}}}"
            + "\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\"}\n\n"
            + "event: ping\ndata: {\"type\": \"ping\"}\n\n"),
        chunk(900_000, delta + "{\"type\":\"text_delta\",\"text\":\"Checking the\"}}\n\n"),
        chunk(960_000, delta + "{\"type\":\"text_delta\",\"text\":\" weather now.\"}}\n\n"
            + delta + "{\"type\":\"signature_delta\",\"signature\":\"c2ln\"}}\n\n"),
        chunk(990_000, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},"
            + "\"usage\":{\"output_tokens\":6}}\n\nevent: message_stop\n"
            + "data: {\"type\":\"message_stop\"}\n\n")),
        null));
    assertThat(s.ttftMs()).isEqualTo(900.0);
    assertThat(s.gapsMs()).containsExactly(60.0);
    assertThat(s.promptTokens()).isEqualTo(400);
    assertThat(s.outputTokens()).isEqualTo(6);
    assertThat(s.tokensPerChunk()).containsExactly(3.0, 3.0);
  }

  @Test
  void geminiCountsCandidateTextWithCrlfSeparators() {
    String usage = ",\"usageMetadata\": {\"promptTokenCount\": 9,\"candidatesTokenCount\": %d}}";
    ExchangeSample s = sample(exchange("gemini", "streamGenerateContent",
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "{}", List.of(
            chunk(450_000, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Sunny\"}],"
                + "\"role\": \"model\"},\"index\": 0}]" + usage.formatted(50) + "\r\n\r\n"),
            chunk(700_000, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \", 24.\"}],"
                + "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]"
                + usage.formatted(100) + "\r\n\r\n")),
        null));
    assertThat(s.ttftMs()).isEqualTo(450.0);
    assertThat(s.gapsMs()).containsExactly(250.0);
    assertThat(s.promptTokens()).isEqualTo(9);
    assertThat(s.outputTokens()).isEqualTo(100);
    assertThat(s.tokensPerChunk()).containsExactly(50.0, 50.0);
  }

  @Test
  void theExchangesUsageWinsOverTheStreams() {
    RecordedExchange e = OpenAiStreams.exchange("a", "gpt-4o", 10, 1000, new long[] {1000});
    RecordedExchange withUsage = new RecordedExchange(e.id(), e.fingerprint(), e.provider(),
        e.endpoint(), e.model(), 0, e.request(), 200, e.responseHeaders(), 0, e.chunks(),
        new TokenUsage(77L, 4L), true, List.of());
    ExchangeSample s = sample(withUsage);
    assertThat(s.promptTokens()).isEqualTo(77);
    assertThat(s.tokensPerChunk()).containsExactly(2.0, 2.0);
  }

  @Test
  void skipsWhatCannotBeTimed() {
    RecordedExchange ok = OpenAiStreams.exchange("a", "gpt-4o", 10, 1000, new long[] {1000});
    assertThat(SampleExtractor.extract(new RecordedExchange("b", "fp", "openai", "chat", "m", 0,
        ok.request(), 200, ok.responseHeaders(), 0, ok.chunks(), null, false, List.of()))
        .skipped()).isEqualTo(SampleExtractor.Skip.INCOMPLETE);
    assertThat(SampleExtractor.extract(new RecordedExchange("b", "fp", "openai", "chat", "m", 0,
        ok.request(), 429, ok.responseHeaders(), 0, ok.chunks(), null, true, List.of()))
        .skipped()).isEqualTo(SampleExtractor.Skip.NOT_OK);
    assertThat(SampleExtractor.extract(new RecordedExchange("b", "fp", "openai", "chat", "m", 0,
        ok.request(), 200, List.of(new Header("content-type", "application/json")), 0,
        List.of(chunk(10, "{\"choices\":[]}")), null, true, List.of()))
        .skipped()).isEqualTo(SampleExtractor.Skip.NOT_STREAMING);
    assertThat(SampleExtractor.extract(new RecordedExchange("b", "fp", "openai", "chat", "m", 0,
        ok.request(), 200, ok.responseHeaders(), 0, List.of(chunk(10, "data: [DONE]\n\n")), null,
        true, List.of()))
        .skipped()).isEqualTo(SampleExtractor.Skip.NO_OUTPUT);
  }
}
