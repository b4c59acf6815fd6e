package io.llmsim.core.gemini;

import io.llmsim.core.mode.Speed;
import io.llmsim.core.model.Choice;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.synth.Synthesis;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of {@code :streamGenerateContent} (WIRE-FORMATS §6.3), built one at a time. Each frame
 * is a complete {@code GenerateContentResponse} holding only the new text of each candidate that
 * has some at that step (chunks of many tokens, as the profile draws them), with cumulative
 * {@code usageMetadata}; a function call arrives whole, in one response, when its arguments are
 * done; a candidate's last response carries its {@code finishReason}. Nothing follows the last
 * response: the body simply ends.
 *
 * <p>With {@code alt=sse} every response is one {@code data: } line and a blank line, with no
 * comments, {@code event:} lines or terminator. Without it, Google streams one JSON array whose
 * elements arrive as they are generated; the array's {@code ]} is the last frame.
 */
final class GeminiStream implements FrameSource {
  private static final byte[] DATA = GeminiJson.ascii("data: ");
  private static final byte[] END = GeminiJson.ascii("\n\n");
  private static final byte[] OPEN = GeminiJson.ascii("[");
  private static final byte[] NEXT = GeminiJson.ascii(",\r\n");
  private static final byte[] CLOSE = GeminiJson.ascii("]");

  private final GeminiEnvelope envelope;
  private final Synthesis synthesis;
  private final Tokenizer tokenizer;
  private final Speed speed;
  private final boolean sse;
  /** Output tokens of each candidate sent so far. */
  private final int[] sent;

  private int step;
  private boolean started;
  private boolean closed;

  /** @param sse {@code alt=sse} framing; false for a streamed JSON array */
  GeminiStream(GeminiEnvelope envelope, Synthesis synthesis, Tokenizer tokenizer, Speed speed,
      boolean sse) {
    this.envelope = envelope;
    this.synthesis = synthesis;
    this.tokenizer = tokenizer;
    this.speed = speed;
    this.sse = sse;
    this.sent = new int[synthesis.choices().size()];
  }

  @Override
  public Frame next() {
    while (step < synthesis.steps()) {
      int at = step++;
      List<GeminiRenderer.Piece> pieces = new ArrayList<>();
      for (Choice c : synthesis.choices()) {
        GeminiRenderer.Piece piece = pieceAt(c, at);
        if (piece != null) {
          pieces.add(piece);
        }
      }
      if (!pieces.isEmpty()) {
        return frame(synthesis.offset(at), pieces);
      }
    }
    if (!sse && !closed) {
      closed = true;
      return new Frame(speed.scale(synthesis.completionNanos()), CLOSE);
    }
    return null;
  }

  /**
   * What candidate {@code c} says at {@code step}, or null. A text candidate sends chunk k at step
   * k + 1 (the first rides with the opening step, at the time to first token); a function call
   * and an empty answer send everything at the candidate's last step.
   */
  private GeminiRenderer.Piece pieceAt(Choice c, int step) {
    int last = c.steps();
    int chunks = c.contentChunks().size();
    boolean isLast = step == last;
    if (c.isToolCall() || chunks == 0) {
      if (!isLast) {
        return null;
      }
      sent[c.index()] = c.completionTokens();
      return new GeminiRenderer.Piece(c.index(), null, c.toolCalls(), c.finishReason());
    }
    if (step < 1 || step > chunks) {
      return null;
    }
    String text = c.contentChunks().get(step - 1);
    // Per-chunk counts can differ from the whole text's by a token at chunk edges: cap them,
    // and end on the exact total.
    sent[c.index()] = isLast ? c.completionTokens()
        : Math.min(sent[c.index()] + tokenizer.count(text), c.completionTokens());
    return new GeminiRenderer.Piece(c.index(), text, List.of(), isLast ? c.finishReason() : null);
  }

  private Frame frame(long offsetNanos, List<GeminiRenderer.Piece> pieces) {
    int tokens = 0;
    for (int n : sent) {
      tokens += n;
    }
    int candidatesTokens = tokens;
    byte[] bytes;
    if (sse) {
      bytes = GeminiJson.oneLine(DATA,
          g -> GeminiRenderer.write(g, envelope, pieces, candidatesTokens), END);
    } else {
      bytes = GeminiJson.prettyBetween(started ? NEXT : OPEN,
          g -> GeminiRenderer.write(g, envelope, pieces, candidatesTokens));
      started = true;
    }
    return new Frame(speed.scale(offsetNanos), bytes);
  }
}
