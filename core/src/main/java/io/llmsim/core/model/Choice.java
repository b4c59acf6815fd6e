package io.llmsim.core.model;

import java.util.List;

/**
 * One synthesized answer. A text answer has {@code contentChunks} (the streamed pieces, several
 * tokens each when the profile says so) and no tool calls; a tool answer has tool calls and an
 * empty content. When the request asked for thinking, {@code thinkingChunks} is the thinking text
 * that comes before either.
 *
 * @param completionTokens every generated token, thinking included
 * @param thinkingTokens the tokens of the thinking text (0 without thinking)
 * @param stopSequence the stop sequence that ended the answer, or null
 */
public record Choice(
    int index,
    List<String> contentChunks,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    int completionTokens,
    List<String> thinkingChunks,
    int thinkingTokens,
    String stopSequence) {

  public Choice {
    contentChunks = List.copyOf(contentChunks);
    toolCalls = List.copyOf(toolCalls);
    thinkingChunks = List.copyOf(thinkingChunks);
  }

  /** An answer without thinking that no stop sequence ended. */
  public Choice(
      int index,
      List<String> contentChunks,
      List<ToolCall> toolCalls,
      FinishReason finishReason,
      int completionTokens) {
    this(index, contentChunks, toolCalls, finishReason, completionTokens, List.of(), 0, null);
  }

  /** The whole thinking text, "" without thinking. */
  public String thinking() {
    return String.join("", thinkingChunks);
  }

  /** The whole text content. */
  public String content() {
    return String.join("", contentChunks);
  }

  public boolean isToolCall() {
    return !toolCalls.isEmpty();
  }

  /**
   * The number of stream steps after the opening one: the thinking chunks first, then content
   * chunks, or for tool calls one step per argument chunk plus one opening step for each call after
   * the first.
   */
  public int steps() {
    if (!isToolCall()) {
      return thinkingChunks.size() + contentChunks.size();
    }
    int steps = thinkingChunks.size() + toolCalls.size() - 1;
    for (ToolCall call : toolCalls) {
      steps += call.argumentChunks().size();
    }
    return steps;
  }
}
