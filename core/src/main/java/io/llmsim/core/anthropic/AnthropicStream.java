package io.llmsim.core.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of a streamed Anthropic answer (WIRE-FORMATS §5.4), built a few at a time:
 * {@code message_start}; for each content block (thinking, then text or tool_use) its
 * {@code content_block_start}, deltas and {@code content_block_stop}, with a {@code ping} after the
 * first block start; then {@code message_delta} with the stop reason and final usage, and
 * {@code message_stop}. Every event is an {@code event:} line equal to the data's {@code type}, a
 * {@code data:} line and a blank line; there is no terminator, the body just ends.
 *
 * <p>Timing follows the synthesis's steps: the opening events at step 0, one delta per later step
 * (thinking chunks first, then text chunks or tool-input chunks), each block's stop right after
 * its last delta, and the message's end at the completion time.
 */
public final class AnthropicStream implements FrameSource {
  /** Real traffic has a space after the colon in ping's data, unlike every other event. */
  static final byte[] PING =
      "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private enum Kind { THINKING, TEXT, TOOL_USE }

  /**
   * One content block: its deltas, the step its start is due at (its deltas follow one step each),
   * and for a tool_use block which call it is.
   */
  private record Block(Kind kind, List<String> deltas, int startStep, int call) {
    int stopStep() {
      return startStep + deltas.size();
    }
  }

  private enum Phase { MESSAGE_START, BLOCK_START, DELTA, BLOCK_STOP, MESSAGE_END, DONE }

  private final MessageEnvelope envelope;
  private final Synthesis synthesis;
  private final Choice choice;
  private final Usage usage;
  private final Speed speed;
  private final List<Block> blocks = new ArrayList<>(3);
  private final ArrayDeque<Frame> pending = new ArrayDeque<>(4);

  private Phase phase = Phase.MESSAGE_START;
  private int block;
  private int delta;

  public AnthropicStream(MessageEnvelope envelope, Synthesis synthesis, Speed speed) {
    this.envelope = envelope;
    this.synthesis = synthesis;
    this.choice = synthesis.choices().get(0);
    this.usage = synthesis.usage();
    this.speed = speed;
    int step = 0;
    if (!choice.thinkingChunks().isEmpty() || choice.thinkingTokens() > 0) {
      blocks.add(new Block(Kind.THINKING, choice.thinkingChunks(), step, -1));
      step += choice.thinkingChunks().size();
    }
    if (!choice.contentChunks().isEmpty()) {
      blocks.add(new Block(Kind.TEXT, choice.contentChunks(), step, -1));
      step += choice.contentChunks().size();
    }
    for (int i = 0; i < choice.toolCalls().size(); i++) {
      // The first call opens with the step before it; each later one takes a step to open
      // (Choice.steps counts it so).
      if (i > 0) {
        step++;
      }
      ToolCall call = choice.toolCalls().get(i);
      blocks.add(new Block(Kind.TOOL_USE, call.argumentChunks(), step, i));
      step += call.argumentChunks().size();
    }
  }

  @Override
  public Frame next() {
    if (pending.isEmpty()) {
      fill();
    }
    return pending.poll();
  }

  /** Queues the next group of events that are due together. */
  private void fill() {
    switch (phase) {
      case MESSAGE_START -> {
        add(0, "message_start", this::messageStart);
        if (blocks.isEmpty()) {
          pending.add(new Frame(at(0), PING));
          phase = Phase.MESSAGE_END;
        } else {
          phase = Phase.BLOCK_START;
        }
      }
      case BLOCK_START -> {
        Block b = blocks.get(block);
        int index = block;
        add(b.startStep(), "content_block_start", g -> {
          g.writeNumberField("index", index);
          g.writeFieldName("content_block");
          blockSkeleton(g, b);
        });
        if (index == 0) {
          pending.add(new Frame(at(b.startStep()), PING));
        }
        if (b.kind() == Kind.TOOL_USE) {
          // Real streams open a tool's input with an empty fragment.
          addDelta(b.startStep(), index, b, "");
        }
        delta = 0;
        phase = b.deltas().isEmpty() ? Phase.BLOCK_STOP : Phase.DELTA;
      }
      case DELTA -> {
        Block b = blocks.get(block);
        addDelta(b.startStep() + 1 + delta, block, b, b.deltas().get(delta));
        if (++delta == b.deltas().size()) {
          phase = Phase.BLOCK_STOP;
        }
      }
      case BLOCK_STOP -> {
        Block b = blocks.get(block);
        int index = block;
        if (b.kind() == Kind.THINKING) {
          // The signature arrives whole, just before the thinking block stops.
          add(b.stopStep(), "content_block_delta", g -> {
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("delta");
            g.writeStringField("type", "signature_delta");
            g.writeStringField("signature", envelope.signature());
            g.writeEndObject();
          });
        }
        add(b.stopStep(), "content_block_stop", g -> g.writeNumberField("index", index));
        phase = ++block < blocks.size() ? Phase.BLOCK_START : Phase.MESSAGE_END;
      }
      case MESSAGE_END -> {
        long end = speed.scale(synthesis.completionNanos());
        pending.add(event(end, "message_delta", g -> {
          g.writeObjectFieldStart("delta");
          g.writeStringField("stop_reason", AnthropicRenderer.stopReason(choice));
          g.writeStringField("stop_sequence", choice.stopSequence());
          g.writeEndObject();
          g.writeFieldName("usage");
          AnthropicRenderer.writeUsage(
              g, usage.promptTokens(), usage.completionTokens(), false);
        }));
        pending.add(event(end, "message_stop", g -> { }));
        phase = Phase.DONE;
      }
      default -> { }
    }
  }

  private void messageStart(JsonGenerator g) throws IOException {
    g.writeFieldName("message");
    AnthropicRenderer.writeMessageHead(g, envelope);
    g.writeArrayFieldStart("content");
    g.writeEndArray();
    g.writeNullField("stop_reason");
    g.writeNullField("stop_sequence");
    g.writeFieldName("usage");
    // The first token is out when the message starts; the final count comes in message_delta.
    AnthropicRenderer.writeUsage(
        g, usage.promptTokens(), Math.min(1, usage.completionTokens()), true);
    g.writeEndObject();
  }

  private void blockSkeleton(JsonGenerator g, Block b) throws IOException {
    g.writeStartObject();
    switch (b.kind()) {
      case THINKING -> {
        g.writeStringField("type", "thinking");
        g.writeStringField("thinking", "");
        g.writeStringField("signature", "");
      }
      case TEXT -> {
        g.writeStringField("type", "text");
        g.writeStringField("text", "");
      }
      default -> {
        g.writeStringField("type", "tool_use");
        g.writeStringField("id", envelope.toolUseIds().get(b.call()));
        g.writeStringField("name", choice.toolCalls().get(b.call()).name());
        g.writeObjectFieldStart("input");
        g.writeEndObject();
      }
    }
    g.writeEndObject();
  }

  private void addDelta(int step, int index, Block b, String text) {
    add(step, "content_block_delta", g -> {
      g.writeNumberField("index", index);
      g.writeObjectFieldStart("delta");
      switch (b.kind()) {
        case THINKING -> {
          g.writeStringField("type", "thinking_delta");
          g.writeStringField("thinking", text);
        }
        case TEXT -> {
          g.writeStringField("type", "text_delta");
          g.writeStringField("text", text);
        }
        default -> {
          g.writeStringField("type", "input_json_delta");
          g.writeStringField("partial_json", text);
        }
      }
      g.writeEndObject();
    });
  }

  /** When step {@code step} is due, at this stream's speed. */
  private long at(int step) {
    return speed.scale(synthesis.offset(step));
  }

  private void add(int step, String type, JsonBytes.Body fields) {
    pending.add(event(at(step), type, fields));
  }

  /**
   * One event: {@code event: TYPE}, then {@code data:} with an object whose first field is
   * {@code "type": TYPE} followed by {@code fields}, then a blank line. Writing the name once keeps
   * the event line and the data's type equal, which every Anthropic SDK relies on.
   */
  private static Frame event(long offsetNanos, String type, JsonBytes.Body fields) {
    byte[] head = ("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
    return new Frame(offsetNanos, JsonBytes.write(head, g -> {
      g.writeStartObject();
      g.writeStringField("type", type);
      fields.write(g);
      g.writeEndObject();
    }, END));
  }
}
