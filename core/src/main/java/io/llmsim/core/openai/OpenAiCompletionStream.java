package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.Usage;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The frames of a streamed legacy completion (WIRE-FORMATS §4.1): the chat framing (one
 * {@code data:} line per event, a blank line after each, {@code data: [DONE]} last) around whole
 * {@code text_completion} objects. Per step, one chunk per choice that has text then (choices
 * interleaved); with {@code echo}, the prompt comes first, at the time to first token; then a
 * chunk per choice with empty text and its {@code finish_reason}, and the usage chunk
 * ({@code choices: []}) when asked for.
 */
public final class OpenAiCompletionStream implements FrameSource {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private enum Phase { STEPS, FINISH, USAGE, DONE, END }

  private final ChatEnvelope envelope;
  private final Synthesis synthesis;
  private final List<String> echoes;
  private final boolean includeUsage;
  private final Speed speed;

  private Phase phase = Phase.STEPS;
  private int step;
  private int choice;

  /** @param echoes per choice, the text it starts with ("" for none) */
  public OpenAiCompletionStream(
      ChatEnvelope envelope, Synthesis synthesis, List<String> echoes, boolean includeUsage,
      Speed speed) {
    this.envelope = envelope;
    this.synthesis = synthesis;
    this.echoes = List.copyOf(echoes);
    this.includeUsage = includeUsage;
    this.speed = speed;
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
            String text = step == 0 ? echoes.get(c.index())
                : step - 1 < c.contentChunks().size() ? c.contentChunks().get(step - 1) : "";
            if (!text.isEmpty()) {
              return frame(synthesis.offset(step), g -> writeChunk(g, c.index(), text, null));
            }
          }
          choice = 0;
          step++;
        }
        case FINISH -> {
          List<Choice> choices = synthesis.choices();
          if (choice < choices.size()) {
            Choice c = choices.get(choice++);
            String reason = OpenAiChatRenderer.finishReason(c.finishReason());
            return frame(synthesis.completionNanos(), g -> writeChunk(g, c.index(), "", reason));
          }
          phase = includeUsage ? Phase.USAGE : Phase.DONE;
        }
        case USAGE -> {
          phase = Phase.DONE;
          return frame(synthesis.completionNanos(), g -> {
            writeHeader(g);
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            g.writeStringField("model", envelope.model());
            g.writeFieldName("usage");
            writeUsage(g, synthesis.usage());
            g.writeEndObject();
          });
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

  private Frame frame(long offsetNanos, JsonBytes.Body chunk) {
    return new Frame(speed.scale(offsetNanos), JsonBytes.write(DATA, chunk, END));
  }

  private void writeChunk(JsonGenerator g, int index, String text, String finishReason)
      throws IOException {
    writeHeader(g);
    g.writeArrayFieldStart("choices");
    g.writeStartObject();
    g.writeStringField("text", text);
    g.writeNumberField("index", index);
    g.writeNullField("logprobs");
    g.writeStringField("finish_reason", finishReason);
    g.writeEndObject();
    g.writeEndArray();
    g.writeStringField("model", envelope.model());
    if (includeUsage) {
      g.writeNullField("usage");
    }
    g.writeEndObject();
  }

  private void writeHeader(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", envelope.id());
    g.writeStringField("object", "text_completion");
    g.writeNumberField("created", envelope.created());
  }

  /** Legacy usage: the three counts, no details. */
  static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
    g.writeStartObject();
    g.writeNumberField("prompt_tokens", usage.promptTokens());
    g.writeNumberField("completion_tokens", usage.completionTokens());
    g.writeNumberField("total_tokens", usage.totalTokens());
    g.writeEndObject();
  }
}
