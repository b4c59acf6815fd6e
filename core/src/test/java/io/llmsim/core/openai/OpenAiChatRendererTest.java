package io.llmsim.core.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import io.llmsim.core.synth.Synthesis;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes of a {@code chat.completion} (WIRE-FORMATS §2.2), text and tool-call choices. */
class OpenAiChatRendererTest {
  @Test
  void rendersTheCompletionByteForByte() {
    ChatEnvelope envelope =
        new ChatEnvelope("chatcmpl-abc", 1767225600L, "gpt-4o-mini-2024-07-18", "fp_0771a14605");
    Synthesis synthesis = new Synthesis(List.of(
        new Choice(0, List.of("Hel", "lo \"you\""), List.of(), FinishReason.STOP, 2),
        new Choice(1, List.of(), List.of(new ToolCall("call_1", "get_weather",
            "{\"city\":\"Oslo\"}", List.of("{\"city\":\"Oslo\"}"), 7)),
            FinishReason.TOOL_CALLS, 7)),
        new Usage(12, 9), new long[] {0});

    String json = new String(OpenAiChatRenderer.completion(envelope, synthesis),
        StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\","
        + "\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":["
        + "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello \\\"you\\\"\","
        + "\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"},"
        + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null,"
        + "\"annotations\":[],\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
        + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0771a14605\"}");
  }
}
