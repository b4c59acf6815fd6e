package io.llmsim.core.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.Json;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import java.io.IOException;

/** Renders a synthesized answer as Anthropic's {@code message} JSON (WIRE-FORMATS §5.3). */
public final class AnthropicRenderer {
  private AnthropicRenderer() {}

  public static byte[] message(MessageEnvelope envelope, Choice choice, Usage usage) {
    return JsonBytes.write(g -> {
      writeMessageHead(g, envelope);
      g.writeArrayFieldStart("content");
      if (!choice.thinkingChunks().isEmpty() || choice.thinkingTokens() > 0) {
        g.writeStartObject();
        g.writeStringField("type", "thinking");
        g.writeStringField("thinking", choice.thinking());
        g.writeStringField("signature", envelope.signature());
        g.writeEndObject();
      }
      if (!choice.content().isEmpty()) {
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("text", choice.content());
        g.writeEndObject();
      }
      for (int i = 0; i < choice.toolCalls().size(); i++) {
        ToolCall call = choice.toolCalls().get(i);
        g.writeStartObject();
        g.writeStringField("type", "tool_use");
        g.writeStringField("id", envelope.toolUseIds().get(i));
        g.writeStringField("name", call.name());
        g.writeFieldName("input");
        writeInput(g, call.arguments());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("stop_reason", stopReason(choice));
      g.writeStringField("stop_sequence", choice.stopSequence());
      g.writeFieldName("usage");
      writeUsage(g, usage.promptTokens(), usage.completionTokens(), true);
      g.writeEndObject();
    });
  }

  /** Opens the message object and writes its fields up to {@code content}. */
  static void writeMessageHead(JsonGenerator g, MessageEnvelope envelope) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", envelope.id());
    g.writeStringField("type", "message");
    g.writeStringField("role", "assistant");
    g.writeStringField("model", envelope.model());
  }

  /**
   * A usage object. The full form (message, message_start) carries the cache breakdown and the
   * service tier; message_delta repeats only the counters, which the SDKs overwrite.
   */
  static void writeUsage(JsonGenerator g, int inputTokens, int outputTokens, boolean full)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("input_tokens", inputTokens);
    g.writeNumberField("cache_creation_input_tokens", 0);
    g.writeNumberField("cache_read_input_tokens", 0);
    if (full) {
      g.writeObjectFieldStart("cache_creation");
      g.writeNumberField("ephemeral_5m_input_tokens", 0);
      g.writeNumberField("ephemeral_1h_input_tokens", 0);
      g.writeEndObject();
    }
    g.writeNumberField("output_tokens", outputTokens);
    if (full) {
      g.writeStringField("service_tier", "standard");
    }
    g.writeEndObject();
  }

  /**
   * A tool call's input as an object. Arguments cut short by {@code max_tokens} are not JSON; the
   * whole message then reports an empty input (a stream still carries the fragments it produced).
   */
  static void writeInput(JsonGenerator g, String arguments) throws IOException {
    boolean object;
    try {
      object = !arguments.isEmpty() && Json.MAPPER.readTree(arguments).isObject();
    } catch (JacksonException e) {
      object = false;
    }
    if (object) {
      g.writeRawValue(arguments);
    } else {
      g.writeStartObject();
      g.writeEndObject();
    }
  }

  static String stopReason(Choice choice) {
    switch (choice.finishReason()) {
      case LENGTH:
        return "max_tokens";
      case TOOL_CALLS:
        return "tool_use";
      case STOP:
      default:
        return choice.stopSequence() != null ? "stop_sequence" : "end_turn";
    }
  }
}
