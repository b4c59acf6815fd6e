package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The events of a streamed Response (WIRE-FORMATS §3.3), built a step at a time. Each event is an
 * {@code event: <type>} line, a {@code data:} line of single-line JSON repeating the type with a
 * dense {@code sequence_number} from 0, and a blank line. The stream ends with
 * {@code response.completed} ({@code response.incomplete} when {@code max_output_tokens} cut the
 * answer) and no {@code [DONE]}; the body closes right after.
 *
 * <p>{@code response.created} and {@code response.in_progress} go out on arrival, as the real API
 * acknowledges before the model starts; the first output item opens at the time to first token.
 * A text answer: {@code output_item.added}, {@code content_part.added}, one
 * {@code output_text.delta} per chunk, then {@code output_text.done}, {@code content_part.done},
 * {@code output_item.done}. A tool answer, per call: {@code output_item.added},
 * {@code function_call_arguments.delta} per chunk, {@code function_call_arguments.done},
 * {@code output_item.done}.
 */
public final class OpenAiResponseStream implements FrameSource {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final char[] PADDING =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private enum Phase { START, STEPS, FINISH, END }

  /** One step of a tool answer: the opening of call {@code call}, or a chunk of its arguments. */
  private record ToolStep(int call, String arguments) {
    boolean opening() {
      return arguments == null;
    }
  }

  private final ResponseEnvelope envelope;
  private final ResponsesRequest request;
  private final Synthesis synthesis;
  private final Choice answer;
  private final SplittableRandom obfuscation;
  private final Speed speed;
  private final List<ToolStep> toolSteps;
  private final ArrayDeque<Frame> pending = new ArrayDeque<>(4);

  private Phase phase = Phase.START;
  private int step;
  private int sequence;

  /**
   * @param obfuscation draws the padding of the {@code obfuscation} field of text deltas, or null
   *     to leave it out
   */
  public OpenAiResponseStream(
      ResponseEnvelope envelope, ResponsesRequest request, Synthesis synthesis,
      SplittableRandom obfuscation, Speed speed) {
    this.envelope = envelope;
    this.request = request;
    this.synthesis = synthesis;
    this.answer = OpenAiResponseRenderer.answer(synthesis);
    this.obfuscation = obfuscation;
    this.speed = speed;
    this.toolSteps = answer.isToolCall() ? toolSteps(answer) : List.of();
  }

  @Override
  public Frame next() {
    while (pending.isEmpty()) {
      switch (phase) {
        case START -> {
          event(0, "response.created", this::writeSnapshot);
          event(0, "response.in_progress", this::writeSnapshot);
          phase = Phase.STEPS;
        }
        case STEPS -> {
          if (step >= synthesis.steps()) {
            phase = Phase.FINISH;
          } else if (answer.isToolCall()) {
            toolStep(step++);
          } else {
            textStep(step++);
          }
        }
        case FINISH -> {
          long at = synthesis.completionNanos();
          if (answer.isToolCall()) {
            closeCall(at, answer.toolCalls().size() - 1);
          } else {
            event(at, "response.output_text.done", (g, type) -> {
              itemHeader(g, type, 0);
              g.writeNumberField("content_index", 0);
              g.writeStringField("text", answer.content());
              g.writeArrayFieldStart("logprobs");
              g.writeEndArray();
            });
            event(at, "response.content_part.done", (g, type) -> {
              itemHeader(g, type, 0);
              g.writeNumberField("content_index", 0);
              g.writeFieldName("part");
              OpenAiResponseRenderer.writeTextPart(g, answer.content());
            });
            itemEvent(at, "response.output_item.done", 0, true);
          }
          String last = OpenAiResponseRenderer.incomplete(synthesis)
              ? "response.incomplete"
              : "response.completed";
          event(at, last, (g, type) -> {
            header(g, type);
            g.writeFieldName("response");
            OpenAiResponseRenderer.writeResponse(g, envelope, request, synthesis);
          });
          phase = Phase.END;
        }
        default -> {
          return null;
        }
      }
    }
    return pending.poll();
  }

  private void textStep(int at) {
    long offset = synthesis.offset(at);
    if (at == 0) {
      itemEvent(offset, "response.output_item.added", 0, false);
      event(offset, "response.content_part.added", (g, type) -> {
        itemHeader(g, type, 0);
        g.writeNumberField("content_index", 0);
        g.writeFieldName("part");
        OpenAiResponseRenderer.writeTextPart(g, "");
      });
      return;
    }
    if (at - 1 >= answer.contentChunks().size()) {
      return;
    }
    String chunk = answer.contentChunks().get(at - 1);
    event(offset, "response.output_text.delta", (g, type) -> {
      itemHeader(g, type, 0);
      g.writeNumberField("content_index", 0);
      g.writeStringField("delta", chunk);
      g.writeArrayFieldStart("logprobs");
      g.writeEndArray();
      writeObfuscation(g);
    });
  }

  private void toolStep(int at) {
    if (at >= toolSteps.size()) {
      return;
    }
    long offset = synthesis.offset(at);
    ToolStep s = toolSteps.get(at);
    if (s.opening()) {
      if (s.call() > 0) {
        closeCall(offset, s.call() - 1);
      }
      itemEvent(offset, "response.output_item.added", s.call(), false);
      return;
    }
    event(offset, "response.function_call_arguments.delta", (g, type) -> {
      itemHeader(g, type, s.call());
      g.writeStringField("delta", s.arguments());
    });
  }

  /** The events that finish function call {@code call}. */
  private void closeCall(long offset, int call) {
    ToolCall c = answer.toolCalls().get(call);
    event(offset, "response.function_call_arguments.done", (g, type) -> {
      itemHeader(g, type, call);
      g.writeStringField("name", c.name());
      g.writeStringField("arguments", c.arguments());
    });
    itemEvent(offset, "response.output_item.done", call, true);
  }

  private void itemEvent(long offset, String type, int item, boolean done) {
    event(offset, type, (g, t) -> {
      header(g, t);
      g.writeNumberField("output_index", item);
      g.writeFieldName("item");
      OpenAiResponseRenderer.writeItem(g, envelope, answer, item, done);
    });
  }

  private void writeSnapshot(JsonGenerator g, String type) throws IOException {
    header(g, type);
    g.writeFieldName("response");
    OpenAiResponseRenderer.writeResponse(g, envelope, request, null);
  }

  private void header(JsonGenerator g, String type) throws IOException {
    g.writeStringField("type", type);
    g.writeNumberField("sequence_number", sequence);
  }

  private void itemHeader(JsonGenerator g, String type, int item) throws IOException {
    header(g, type);
    g.writeStringField("item_id", envelope.itemIds().get(item));
    g.writeNumberField("output_index", item);
  }

  /** What an event writes between its braces; {@code type} is the event's type. */
  @FunctionalInterface
  private interface Fields {
    void write(JsonGenerator g, String type) throws IOException;
  }

  /** Queues one event, numbered in order, due at {@code offsetNanos}. */
  private void event(long offsetNanos, String type, Fields fields) {
    byte[] prefix = new byte[EVENT.length + type.length() + DATA.length];
    System.arraycopy(EVENT, 0, prefix, 0, EVENT.length);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, prefix, EVENT.length, name.length);
    System.arraycopy(DATA, 0, prefix, EVENT.length + name.length, DATA.length);
    byte[] bytes = JsonBytes.write(prefix, g -> {
      g.writeStartObject();
      fields.write(g, type);
      g.writeEndObject();
    }, END);
    sequence++;
    pending.add(new Frame(speed.scale(offsetNanos), bytes));
  }

  private void writeObfuscation(JsonGenerator g) throws IOException {
    if (obfuscation == null) {
      return;
    }
    char[] pad = new char[1 + obfuscation.nextInt(12)];
    for (int i = 0; i < pad.length; i++) {
      pad[i] = PADDING[obfuscation.nextInt(PADDING.length)];
    }
    g.writeFieldName("obfuscation");
    g.writeString(pad, 0, pad.length);
  }

  /** Step 0 opens the first call, then its argument chunks; each later call opens in a step. */
  private static List<ToolStep> toolSteps(Choice c) {
    List<ToolStep> steps = new ArrayList<>();
    for (int i = 0; i < c.toolCalls().size(); i++) {
      steps.add(new ToolStep(i, null));
      for (String chunk : c.toolCalls().get(i).argumentChunks()) {
        steps.add(new ToolStep(i, chunk));
      }
    }
    return steps;
  }
}
