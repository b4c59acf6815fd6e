package io.llmsim.core.model;

import java.util.List;

/**
 * A synthesized function call. {@code arguments} is the JSON text; {@code argumentChunks} is the
 * same text split as it is streamed; {@code tokens} counts its tokens.
 */
public record ToolCall(
    String id, String name, String arguments, List<String> argumentChunks, int tokens) {
  public ToolCall {
    argumentChunks = List.copyOf(argumentChunks);
  }
}
