package io.llmsim.core.openai;

import java.util.List;

/**
 * A parsed legacy {@code POST /v1/completions} body.
 *
 * @param prompts the prompts; each gets {@code n} choices, numbered prompt by prompt
 * @param maxTokens the cap per choice ({@code max_tokens}, 16 unless given)
 * @param echo prepend each prompt's text to its choices
 * @param seed the request's own seed, or null
 */
public record CompletionRequest(
    String model,
    List<Prompt> prompts,
    int maxTokens,
    int n,
    boolean echo,
    boolean stream,
    boolean includeUsage,
    Long seed) {

  /**
   * One prompt: text, or token ids. Token prompts count one token per id; their text is unknown
   * here (no decoder), so synthesis sees an empty prompt and {@code echo} adds nothing.
   */
  public record Prompt(String text, int tokenCount, boolean tokens) {}

  public CompletionRequest {
    prompts = List.copyOf(prompts);
  }
}
