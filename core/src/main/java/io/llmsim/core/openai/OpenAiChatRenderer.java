package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;

/** Renders a synthesized chat answer as OpenAI's {@code chat.completion} JSON (WIRE-FORMATS §2.2). */
public final class OpenAiChatRenderer {
  private OpenAiChatRenderer() {}

  public static byte[] completion(ChatEnvelope envelope, Synthesis synthesis) {
    return JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeStringField("id", envelope.id());
      g.writeStringField("object", "chat.completion");
      g.writeNumberField("created", envelope.created());
      g.writeStringField("model", envelope.model());
      g.writeArrayFieldStart("choices");
      for (Choice choice : synthesis.choices()) {
        g.writeStartObject();
        g.writeNumberField("index", choice.index());
        g.writeObjectFieldStart("message");
        g.writeStringField("role", "assistant");
        if (choice.isToolCall()) {
          g.writeNullField("content");
        } else {
          g.writeStringField("content", choice.content());
        }
        g.writeNullField("refusal");
        g.writeArrayFieldStart("annotations");
        g.writeEndArray();
        if (choice.isToolCall()) {
          g.writeArrayFieldStart("tool_calls");
          for (ToolCall call : choice.toolCalls()) {
            g.writeStartObject();
            g.writeStringField("id", call.id());
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", call.name());
            g.writeStringField("arguments", call.arguments());
            g.writeEndObject();
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
        g.writeNullField("logprobs");
        g.writeStringField("finish_reason", finishReason(choice.finishReason()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName("usage");
      writeUsage(g, synthesis.usage());
      g.writeStringField("service_tier", "default");
      g.writeStringField("system_fingerprint", envelope.systemFingerprint());
      g.writeEndObject();
    });
  }

  static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
    g.writeStartObject();
    g.writeNumberField("prompt_tokens", usage.promptTokens());
    g.writeNumberField("completion_tokens", usage.completionTokens());
    g.writeNumberField("total_tokens", usage.totalTokens());
    g.writeObjectFieldStart("prompt_tokens_details");
    g.writeNumberField("cached_tokens", 0);
    g.writeNumberField("audio_tokens", 0);
    g.writeEndObject();
    g.writeObjectFieldStart("completion_tokens_details");
    g.writeNumberField("reasoning_tokens", 0);
    g.writeNumberField("audio_tokens", 0);
    g.writeNumberField("accepted_prediction_tokens", 0);
    g.writeNumberField("rejected_prediction_tokens", 0);
    g.writeEndObject();
    g.writeEndObject();
  }

  static String finishReason(FinishReason reason) {
    switch (reason) {
      case LENGTH:
        return "length";
      case TOOL_CALLS:
        return "tool_calls";
      case STOP:
      default:
        return "stop";
    }
  }
}
