package io.llmsim.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.store.RecordedExchange.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageReaderTest {
  private static TokenUsage read(String body) {
    return UsageReader.read(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWholeOpenAiAnswer() {
    assertThat(read("{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}"))
        .isEqualTo(new TokenUsage(9L, 3L));
  }

  @Test
  void aWholeAnswerWhoseTextMentionsDataIsStillJson() {
    assertThat(read("{\"choices\":[{\"message\":{\"content\":\"data: yes\\ndata: no\"}}],"
        + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6}}"))
        .isEqualTo(new TokenUsage(4L, 6L));
  }

  @Test
  void anOpenAiStreamReportsUsageInItsLastChunk() {
    assertThat(read("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}\r\n\r\n"
        + "data: [DONE]\n\n"))
        .isEqualTo(new TokenUsage(8L, 1L));
  }

  @Test
  void anAnthropicStreamReportsInputAtTheStartAndOutputAtTheEnd() {
    assertThat(read("event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
        + "{\"id\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
        + "{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}\n\n"))
        .isEqualTo(new TokenUsage(25L, 15L));
  }

  @Test
  void aResponsesStreamReportsUsageInsideItsCompletedResponse() {
    assertThat(read("event: response.completed\ndata: {\"type\":\"response.completed\","
        + "\"response\":{\"id\":\"r\",\"output\":[{\"type\":\"message\"}],"
        + "\"usage\":{\"input_tokens\":11,\"output_tokens\":7,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":0}}}}\n\n"))
        .isEqualTo(new TokenUsage(11L, 7L));
  }

  @Test
  void geminiReportsUsageMetadataWholeInAnArrayOrStreamed() {
    String event = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],"
        + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":2,"
        + "\"totalTokenCount\":7}}";
    assertThat(read(event)).isEqualTo(new TokenUsage(5L, 2L));
    assertThat(read("[" + event + "," + event.replace(":2,", ":4,") + "]"))
        .isEqualTo(new TokenUsage(5L, 4L));
    assertThat(read("data: " + event + "\r\n\r\n")).isEqualTo(new TokenUsage(5L, 2L));
  }

  @Test
  void aCutOrMalformedEventReportsNothingAndTheLastCompleteOneStands() {
    assertThat(read("data: {\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}\n\n"
        + "data: {\"usage\":{\"prompt_tokens\":9,\"completion_tok"))
        .isEqualTo(new TokenUsage(8L, 1L));
    assertThat(read("data: {not json}\n\n")).isNull();
  }

  @Test
  void noUsageIsNull() {
    assertThat(read("{\"error\":{\"message\":\"nope\",\"usage\":\"not an object\"}}")).isNull();
    assertThat(read("")).isNull();
    assertThat(read("data: [DONE]\n\n")).isNull();
  }

  @Test
  void aCountWrittenAsADecimalStillCounts() {
    assertThat(read("{\"usage\":{\"prompt_tokens\":3.0,\"completion_tokens\":2}}"))
        .isEqualTo(new TokenUsage(3L, 2L));
  }
}
