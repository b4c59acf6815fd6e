package io.llmsim.core.generate;

import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.tokens.Pieces;
import io.llmsim.core.tokens.Tokenizer;
import java.util.random.RandomGenerator;

/**
 * Produces the text of a synthesized answer, already split into tokens. Implementations are
 * thread-safe and deterministic for a given random generator.
 */
public interface TextGenerator {
  /**
   * @param targetTokens the answer length drawn from the latency profile; generators of fixed
   *     text may ignore it. The caller cuts the result at the request's token limit.
   */
  Pieces generate(
      ChatRequest request, int targetTokens, Tokenizer tokenizer, RandomGenerator random);
}
