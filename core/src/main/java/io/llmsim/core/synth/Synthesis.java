package io.llmsim.core.synth;

import io.llmsim.core.model.Choice;
import io.llmsim.core.model.Usage;
import java.util.List;

/**
 * A synthesized answer and its timeline. Step 0 opens every choice (role, tool-call id and name);
 * step k ≥ 1 carries the k-th chunk of each choice that still has one. {@code stepOffsetsNanos[k]}
 * is when step k is due, measured from the request's arrival; the first content arrives with the
 * opening step, at the time to first token.
 */
public record Synthesis(List<Choice> choices, Usage usage, long[] stepOffsetsNanos) {
  public Synthesis {
    choices = List.copyOf(choices);
    stepOffsetsNanos = stepOffsetsNanos.clone();
  }

  /** When the whole answer is ready: the non-streaming response time. */
  public long completionNanos() {
    return stepOffsetsNanos[stepOffsetsNanos.length - 1];
  }

  public long offset(int step) {
    return stepOffsetsNanos[step];
  }

  public int steps() {
    return stepOffsetsNanos.length;
  }
}
