package io.llmsim.core.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes of an Anthropic {@code message} (WIRE-FORMATS §5.3). */
class AnthropicRendererTest {
  private static String render(MessageEnvelope envelope, Choice choice, Usage usage) {
    return new String(AnthropicRenderer.message(envelope, choice, usage), StandardCharsets.UTF_8);
  }

  @Test
  void rendersThinkingAndTextByteForByte() {
    MessageEnvelope envelope =
        new MessageEnvelope("msg_01", "claude-sonnet-4-5", List.of(), "sig==");
    Choice choice = new Choice(0, List.of("Hi ", "\"there\""), List.of(), FinishReason.STOP, 2,
        List.of("Let me ", "think."), 3, null);

    assertThat(render(envelope, choice, new Usage(10, 5))).isEqualTo(
        "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5\",\"content\":["
            + "{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"sig==\"},"
            + "{\"type\":\"text\",\"text\":\"Hi \\\"there\\\"\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":0,"
            + "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,"
            + "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":5,\"service_tier\":\"standard\"}}");
  }

  @Test
  void rendersAToolUseAndAStopSequenceByteForByte() {
    MessageEnvelope envelope =
        new MessageEnvelope("msg_02", "claude-haiku-4-5", List.of("toolu_1"), "sig==");
    Choice tool = new Choice(0, List.of(), List.of(new ToolCall("call_1", "get_weather",
        "{\"city\":\"Oslo\"}", List.of("{\"city\":\"Oslo\"}"), 6)), FinishReason.TOOL_CALLS, 6);
    assertThat(render(envelope, tool, new Usage(20, 6))).isEqualTo(
        "{\"id\":\"msg_02\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-haiku-4-5\",\"content\":["
            + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
            + "\"input\":{\"city\":\"Oslo\"}}],"
            + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":0,"
            + "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,"
            + "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":6,\"service_tier\":\"standard\"}}");

    Choice stopped = new Choice(0, List.of("Done"), List.of(), FinishReason.STOP, 1, List.of(), 0,
        "END");
    assertThat(render(envelope, stopped, new Usage(20, 1)))
        .contains("\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"");
  }
}
