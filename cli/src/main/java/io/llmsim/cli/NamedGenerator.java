package io.llmsim.cli;

import io.llmsim.core.generate.TextGenerator;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.tokens.Pieces;
import io.llmsim.core.tokens.Tokenizer;
import java.util.random.RandomGenerator;

/**
 * A generator that remembers the spec it was parsed from, so the effective config can be shown
 * back to the user ({@code toString()} is the spec).
 */
final class NamedGenerator implements TextGenerator {
  private final String spec;
  private final TextGenerator delegate;

  NamedGenerator(String spec, TextGenerator delegate) {
    this.spec = spec;
    this.delegate = delegate;
  }

  @Override
  public Pieces generate(
      ChatRequest request, int targetTokens, Tokenizer tokenizer, RandomGenerator random) {
    return delegate.generate(request, targetTokens, tokenizer, random);
  }

  @Override
  public String toString() {
    return spec;
  }
}
