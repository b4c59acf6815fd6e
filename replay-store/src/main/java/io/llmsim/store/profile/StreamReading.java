package io.llmsim.store.profile;

import java.util.List;

/**
 * What a recorded stream says: its output events in order, and the token usage it reported.
 *
 * @param outputs the events that carried output, in arrival order
 * @param inputTokens prompt tokens as reported in the stream (null when not reported)
 * @param outputTokens output tokens as reported in the stream (null when not reported)
 */
public record StreamReading(List<OutputEvent> outputs, Long inputTokens, Long outputTokens) {
  public StreamReading {
    outputs = List.copyOf(outputs);
  }
}
