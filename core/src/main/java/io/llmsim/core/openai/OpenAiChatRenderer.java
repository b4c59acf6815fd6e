package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;

/**
 * Renders a synthesized chat answer as OpenAI's {@code chat.completion} JSON (WIRE-FORMATS §2.2).
 * Field names and constant values are quoted and encoded once ({@link SerializedString}), so the
 * generator copies their bytes instead of escaping them character by character on every answer.
 */
public final class OpenAiChatRenderer {
  private static final SerializedString ID = new SerializedString("id");
  private static final SerializedString OBJECT = new SerializedString("object");
  private static final SerializedString CHAT_COMPLETION = new SerializedString("chat.completion");
  private static final SerializedString CREATED = new SerializedString("created");
  private static final SerializedString MODEL = new SerializedString("model");
  private static final SerializedString CHOICES = new SerializedString("choices");
  private static final SerializedString INDEX = new SerializedString("index");
  private static final SerializedString MESSAGE = new SerializedString("message");
  private static final SerializedString ROLE = new SerializedString("role");
  private static final SerializedString ASSISTANT = new SerializedString("assistant");
  private static final SerializedString CONTENT = new SerializedString("content");
  private static final SerializedString REFUSAL = new SerializedString("refusal");
  private static final SerializedString ANNOTATIONS = new SerializedString("annotations");
  private static final SerializedString LOGPROBS = new SerializedString("logprobs");
  private static final SerializedString FINISH_REASON = new SerializedString("finish_reason");
  private static final SerializedString USAGE = new SerializedString("usage");
  private static final SerializedString SERVICE_TIER = new SerializedString("service_tier");
  private static final SerializedString DEFAULT = new SerializedString("default");
  private static final SerializedString SYSTEM_FINGERPRINT =
      new SerializedString("system_fingerprint");
  private static final SerializedString PROMPT_TOKENS = new SerializedString("prompt_tokens");
  private static final SerializedString COMPLETION_TOKENS =
      new SerializedString("completion_tokens");
  private static final SerializedString TOTAL_TOKENS = new SerializedString("total_tokens");
  /** The usage details llmsim does not simulate: always zero, so written as they are. */
  private static final SerializedString ZERO_DETAILS = new SerializedString(
      "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
          + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}");

  private OpenAiChatRenderer() {}

  public static byte[] completion(ChatEnvelope envelope, Synthesis synthesis) {
    return JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeFieldName(ID);
      g.writeString(envelope.id());
      g.writeFieldName(OBJECT);
      g.writeString(CHAT_COMPLETION);
      g.writeFieldName(CREATED);
      g.writeNumber(envelope.created());
      g.writeFieldName(MODEL);
      g.writeString(envelope.model());
      g.writeFieldName(CHOICES);
      g.writeStartArray();
      for (Choice choice : synthesis.choices()) {
        g.writeStartObject();
        g.writeFieldName(INDEX);
        g.writeNumber(choice.index());
        g.writeFieldName(MESSAGE);
        g.writeStartObject();
        g.writeFieldName(ROLE);
        g.writeString(ASSISTANT);
        g.writeFieldName(CONTENT);
        if (choice.isToolCall()) {
          g.writeNull();
        } else {
          g.writeString(choice.content());
        }
        g.writeFieldName(REFUSAL);
        g.writeNull();
        g.writeFieldName(ANNOTATIONS);
        g.writeStartArray();
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
        g.writeFieldName(LOGPROBS);
        g.writeNull();
        g.writeFieldName(FINISH_REASON);
        g.writeString(finishReason(choice.finishReason()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName(USAGE);
      writeUsage(g, synthesis.usage());
      g.writeFieldName(SERVICE_TIER);
      g.writeString(DEFAULT);
      g.writeFieldName(SYSTEM_FINGERPRINT);
      g.writeString(envelope.systemFingerprint());
      g.writeEndObject();
    });
  }

  static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
    g.writeStartObject();
    g.writeFieldName(PROMPT_TOKENS);
    g.writeNumber(usage.promptTokens());
    g.writeFieldName(COMPLETION_TOKENS);
    g.writeNumber(usage.completionTokens());
    g.writeFieldName(TOTAL_TOKENS);
    g.writeNumber(usage.totalTokens());
    // The separator a field needs, then the constant fields as they are.
    g.writeRaw(',');
    g.writeRaw(ZERO_DETAILS);
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
