package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The frames of a streamed chat answer (WIRE-FORMATS §2.3), built one at a time: per step, one
 * {@code chat.completion.chunk} event per choice (choices interleaved), then a finish chunk per
 * choice, the usage chunk when asked for, and {@code data: [DONE]}. Every event is one
 * {@code data:} line and a blank line; role, tool-call id and name appear only in the opening delta.
 */
public final class OpenAiChatStream implements FrameSource {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTENT_TAIL =
      "\"},\"logprobs\":null,\"finish_reason\":null}]".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE_NULL = ",\"usage\":null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OBFUSCATION =
      ",\"obfuscation\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final char[] PADDING =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private enum Phase { STEPS, FINISH, USAGE, DONE, END }

  /** One delta of a tool-call choice: the opening of call {@code call}, or an arguments chunk. */
  private record ToolDelta(int call, boolean opening, String arguments) {}

  private final ChatEnvelope envelope;
  private final Synthesis synthesis;
  private final boolean includeUsage;
  private final SplittableRandom obfuscation;
  private final Speed speed;
  private final List<List<ToolDelta>> toolDeltas = new ArrayList<>();

  /** Per choice index: the bytes of a content chunk before its text (see contentHead). */
  private final List<byte[]> contentHeads = new ArrayList<>();
  private Phase phase = Phase.STEPS;
  private int step;
  private int choice;

  /**
   * @param obfuscation draws the padding of the {@code obfuscation} field, or null to leave it out
   */
  public OpenAiChatStream(
      ChatEnvelope envelope, Synthesis synthesis, boolean includeUsage,
      SplittableRandom obfuscation, Speed speed) {
    this.envelope = envelope;
    this.synthesis = synthesis;
    this.includeUsage = includeUsage;
    this.obfuscation = obfuscation;
    this.speed = speed;
    for (Choice c : synthesis.choices()) {
      toolDeltas.add(c.isToolCall() ? toolDeltas(c) : List.of());
    }
  }

  @Override
  public Frame next() {
    while (true) {
      switch (phase) {
        case STEPS -> {
          if (step >= synthesis.steps()) {
            phase = Phase.FINISH;
            choice = 0;
            continue;
          }
          List<Choice> choices = synthesis.choices();
          while (choice < choices.size()) {
            Choice c = choices.get(choice++);
            if (step == 0 || step - 1 < c.steps()) {
              int at = step;
              if (at > 0 && !c.isToolCall()) {
                return contentFrame(synthesis.offset(at), c, c.contentChunks().get(at - 1));
              }
              return frame(synthesis.offset(at), g -> writeStepChunk(g, c, at));
            }
          }
          choice = 0;
          step++;
        }
        case FINISH -> {
          List<Choice> choices = synthesis.choices();
          if (choice < choices.size()) {
            Choice c = choices.get(choice++);
            return frame(synthesis.completionNanos(), g -> writeFinishChunk(g, c));
          }
          phase = includeUsage ? Phase.USAGE : Phase.DONE;
        }
        case USAGE -> {
          phase = Phase.DONE;
          return frame(synthesis.completionNanos(), this::writeUsageChunk);
        }
        case DONE -> {
          phase = Phase.END;
          return new Frame(speed.scale(synthesis.completionNanos()), DONE);
        }
        default -> {
          return null;
        }
      }
    }
  }

  /**
   * A content chunk, the bulk of every stream, assembled from the envelope bytes rendered once per
   * stream plus the escaped text: byte for byte what the generator path writes (the golden tests
   * hold both to the same files), without a JSON generator per token.
   */
  private Frame contentFrame(long offsetNanos, Choice c, String content) {
    byte[] head = contentHead(c.index());
    byte[] text = JsonStringEncoder.getInstance().quoteAsUTF8(content);
    int padding = obfuscation == null ? 0 : 1 + obfuscation.nextInt(12);
    // One exact-size array per token: this runs for every token of every stream.
    byte[] frame = new byte[head.length + text.length + CONTENT_TAIL.length
        + (includeUsage ? USAGE_NULL.length : 0)
        + (obfuscation == null ? 0 : OBFUSCATION.length + padding + 1) + 1 + END.length];
    int at = put(frame, 0, head);
    at = put(frame, at, text);
    at = put(frame, at, CONTENT_TAIL);
    if (includeUsage) {
      at = put(frame, at, USAGE_NULL);
    }
    if (obfuscation != null) {
      at = put(frame, at, OBFUSCATION);
      for (int i = 0; i < padding; i++) {
        frame[at++] = (byte) PADDING[obfuscation.nextInt(PADDING.length)];
      }
      frame[at++] = '"';
    }
    frame[at++] = '}';
    put(frame, at, END);
    return new Frame(speed.scale(offsetNanos), frame);
  }

  /**
   * {@code data: } and the chunk's envelope up to its content string, for choice {@code index}:
   * the same bytes for every token of the stream, so rendered once per choice.
   */
  private byte[] contentHead(int index) {
    while (contentHeads.size() <= index) {
      contentHeads.add(null);
    }
    byte[] head = contentHeads.get(index);
    if (head == null) {
      byte[] envelope = JsonBytes.write(g -> {
        writeHeader(g);
        g.writeEndObject();
      });
      ByteArrayBuilder out = new ByteArrayBuilder(envelope.length + 64);
      out.write(DATA);
      out.write(envelope, 0, envelope.length - 1); // without the closing brace
      out.write(ascii(",\"choices\":[{\"index\":" + index + ",\"delta\":{\"content\":\""));
      head = out.toByteArray();
      contentHeads.set(index, head);
    }
    return head;
  }

  private static int put(byte[] into, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, into, at, bytes.length);
    return at + bytes.length;
  }


  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private Frame frame(long offsetNanos, JsonBytes.Body chunk) {
    return new Frame(speed.scale(offsetNanos), JsonBytes.write(DATA, chunk, END));
  }

  private void writeStepChunk(JsonGenerator g, Choice c, int step) throws IOException {
    startChunk(g);
    g.writeStartObject();
    g.writeNumberField("index", c.index());
    g.writeObjectFieldStart("delta");
    if (c.isToolCall()) {
      ToolDelta delta = toolDeltas.get(c.index()).get(step);
      if (step == 0) {
        g.writeStringField("role", "assistant");
        g.writeNullField("content");
      }
      g.writeArrayFieldStart("tool_calls");
      g.writeStartObject();
      g.writeNumberField("index", delta.call());
      if (delta.opening()) {
        ToolCall call = c.toolCalls().get(delta.call());
        g.writeStringField("id", call.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", call.name());
        g.writeStringField("arguments", "");
      } else {
        g.writeObjectFieldStart("function");
        g.writeStringField("arguments", delta.arguments());
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      if (step == 0) {
        g.writeNullField("refusal");
      }
    } else {
      // The opening delta of a text answer; its content chunks take contentFrame's fast path.
      g.writeStringField("role", "assistant");
      g.writeStringField("content", "");
      g.writeNullField("refusal");
    }
    g.writeEndObject();
    g.writeNullField("logprobs");
    g.writeNullField("finish_reason");
    g.writeEndObject();
    endChunk(g);
  }

  private void writeFinishChunk(JsonGenerator g, Choice c) throws IOException {
    startChunk(g);
    g.writeStartObject();
    g.writeNumberField("index", c.index());
    g.writeObjectFieldStart("delta");
    g.writeEndObject();
    g.writeNullField("logprobs");
    g.writeStringField("finish_reason", OpenAiChatRenderer.finishReason(c.finishReason()));
    g.writeEndObject();
    endChunk(g);
  }

  private void writeUsageChunk(JsonGenerator g) throws IOException {
    writeHeader(g);
    g.writeArrayFieldStart("choices");
    g.writeEndArray();
    g.writeFieldName("usage");
    OpenAiChatRenderer.writeUsage(g, synthesis.usage());
    writeObfuscation(g);
    g.writeEndObject();
  }

  private void startChunk(JsonGenerator g) throws IOException {
    writeHeader(g);
    g.writeArrayFieldStart("choices");
  }

  private void endChunk(JsonGenerator g) throws IOException {
    g.writeEndArray();
    if (includeUsage) {
      g.writeNullField("usage");
    }
    writeObfuscation(g);
    g.writeEndObject();
  }

  private void writeHeader(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", envelope.id());
    g.writeStringField("object", "chat.completion.chunk");
    g.writeNumberField("created", envelope.created());
    g.writeStringField("model", envelope.model());
    g.writeStringField("service_tier", "default");
    g.writeStringField("system_fingerprint", envelope.systemFingerprint());
  }

  private void writeObfuscation(JsonGenerator g) throws IOException {
    if (obfuscation == null) {
      return;
    }
    g.writeStringField("obfuscation", padding());
  }

  /** Random padding of 1–12 characters, as OpenAI pads chunks against length side channels. */
  private String padding() {
    char[] pad = new char[1 + obfuscation.nextInt(12)];
    for (int i = 0; i < pad.length; i++) {
      pad[i] = PADDING[obfuscation.nextInt(PADDING.length)];
    }
    return new String(pad);
  }

  /** Step 0 opens the first call; then its argument chunks; each later call opens in its own step. */
  private static List<ToolDelta> toolDeltas(Choice c) {
    List<ToolDelta> deltas = new ArrayList<>();
    for (int i = 0; i < c.toolCalls().size(); i++) {
      deltas.add(new ToolDelta(i, true, null));
      for (String chunk : c.toolCalls().get(i).argumentChunks()) {
        deltas.add(new ToolDelta(i, false, chunk));
      }
    }
    return deltas;
  }
}
