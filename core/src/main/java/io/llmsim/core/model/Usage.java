package io.llmsim.core.model;

/** Token usage of one answer. */
public record Usage(int promptTokens, int completionTokens) {
  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
