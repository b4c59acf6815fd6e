package io.llmsim.core.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.llmsim.core.json.Json;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import java.io.IOException;

/**
 * Renders a synthesized answer as Anthropic's {@code message} JSON (WIRE-FORMATS §5.3). Field
 * names and constant values are quoted and encoded once ({@link SerializedString}), so the
 * generator copies their bytes instead of escaping them on every answer.
 */
public final class AnthropicRenderer {
  private static final SerializedString ID = new SerializedString("id");
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString ROLE = new SerializedString("role");
  private static final SerializedString ASSISTANT = new SerializedString("assistant");
  private static final SerializedString MODEL = new SerializedString("model");
  private static final SerializedString CONTENT = new SerializedString("content");
  private static final SerializedString TEXT = new SerializedString("text");
  private static final SerializedString STOP_REASON = new SerializedString("stop_reason");
  private static final SerializedString STOP_SEQUENCE = new SerializedString("stop_sequence");
  private static final SerializedString USAGE = new SerializedString("usage");
  private static final SerializedString INPUT_TOKENS = new SerializedString("input_tokens");
  private static final SerializedString OUTPUT_TOKENS = new SerializedString("output_tokens");
  /** The cache counters llmsim does not simulate: always zero, so written as they are. */
  private static final SerializedString ZERO_CACHE = new SerializedString(
      "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0");
  private static final SerializedString ZERO_CACHE_CREATION = new SerializedString(
      "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0}");
  private static final SerializedString SERVICE_TIER = new SerializedString("service_tier");
  private static final SerializedString STANDARD = new SerializedString("standard");

  private AnthropicRenderer() {}

  public static byte[] message(MessageEnvelope envelope, Choice choice, Usage usage) {
    return JsonBytes.write(g -> {
      writeMessageHead(g, envelope);
      g.writeFieldName(CONTENT);
      g.writeStartArray();
      if (!choice.thinkingChunks().isEmpty() || choice.thinkingTokens() > 0) {
        g.writeStartObject();
        g.writeStringField("type", "thinking");
        g.writeStringField("thinking", choice.thinking());
        g.writeStringField("signature", envelope.signature());
        g.writeEndObject();
      }
      String text = choice.content();
      if (!text.isEmpty()) {
        g.writeStartObject();
        g.writeFieldName(TYPE);
        g.writeString(TEXT);
        g.writeFieldName(TEXT);
        g.writeString(text);
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
      g.writeFieldName(STOP_REASON);
      g.writeString(stopReason(choice));
      g.writeFieldName(STOP_SEQUENCE);
      g.writeString(choice.stopSequence());
      g.writeFieldName(USAGE);
      writeUsage(g, usage.promptTokens(), usage.completionTokens(), true);
      g.writeEndObject();
    });
  }

  /** Opens the message object and writes its fields up to {@code content}. */
  static void writeMessageHead(JsonGenerator g, MessageEnvelope envelope) throws IOException {
    g.writeStartObject();
    g.writeFieldName(ID);
    g.writeString(envelope.id());
    g.writeFieldName(TYPE);
    g.writeString(MESSAGE);
    g.writeFieldName(ROLE);
    g.writeString(ASSISTANT);
    g.writeFieldName(MODEL);
    g.writeString(envelope.model());
  }

  /**
   * A usage object. The full form (message, message_start) carries the cache breakdown and the
   * service tier; message_delta repeats only the counters, which the SDKs overwrite.
   */
  static void writeUsage(JsonGenerator g, int inputTokens, int outputTokens, boolean full)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName(INPUT_TOKENS);
    g.writeNumber(inputTokens);
    // The separator a field needs, then the constant fields as they are.
    g.writeRaw(',');
    g.writeRaw(ZERO_CACHE);
    if (full) {
      g.writeRaw(',');
      g.writeRaw(ZERO_CACHE_CREATION);
    }
    g.writeFieldName(OUTPUT_TOKENS);
    g.writeNumber(outputTokens);
    if (full) {
      g.writeFieldName(SERVICE_TIER);
      g.writeString(STANDARD);
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
