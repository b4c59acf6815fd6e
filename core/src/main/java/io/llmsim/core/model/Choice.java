package io.llmsim.core.model;

import java.util.List;

/**
 * One synthesized answer. A text answer has {@code contentChunks} (the streamed pieces, several
 * tokens each when the profile says so) and no tool calls; a tool answer has tool calls and an empty
 * content.
 */
public record Choice(
    int index,
    List<String> contentChunks,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    int completionTokens) {

  public Choice {
    contentChunks = List.copyOf(contentChunks);
    toolCalls = List.copyOf(toolCalls);
  }

  /** The whole text content. */
  public String content() {
    return String.join("", contentChunks);
  }

  public boolean isToolCall() {
    return !toolCalls.isEmpty();
  }

  /**
   * The number of stream steps after the opening one: content chunks, or for tool calls one step
   * per argument chunk plus one opening step for each call after the first.
   */
  public int steps() {
    if (!isToolCall()) {
      return contentChunks.size();
    }
    int steps = toolCalls.size() - 1;
    for (ToolCall call : toolCalls) {
      steps += call.argumentChunks().size();
    }
    return steps;
  }
}
