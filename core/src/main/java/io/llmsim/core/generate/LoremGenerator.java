package io.llmsim.core.generate;

import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.tokens.Pieces;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Lorem-ipsum sentences of exactly the requested length, built from ready-made single-token pieces so
 * no tokenizer runs per request (or at start-up). Every word form listed here is one token in both
 * o200k_base and cl100k_base: {@code LoremGeneratorTest} proves it.
 */
final class LoremGenerator implements TextGenerator {
  /** One token as {@code " word"}, {@code " Word"} and {@code "Word"}: fit any position. */
  static final String[] ANY_POSITION = {
    "lorem", "sit", "do", "ut", "et", "ad", "ex", "in", "non", "qui", "anim", "id", "est", "the",
    "model", "answer", "data", "system", "test", "value", "result", "request", "simple", "quick",
    "brown", "fox", "over", "lazy", "dog", "a", "of", "to", "and", "is", "that", "for", "with",
    "as", "on", "by", "this", "from", "at", "be", "are", "it", "an", "or", "was"
  };

  /** One token only as {@code " word"}: used inside sentences. */
  static final String[] MID_SENTENCE_ONLY = {
    "ipsum", "dolor", "amet", "consectetur", "adipiscing", "elit", "sed", "tempor", "incididunt",
    "labore", "dolore", "magna", "aliqua", "enim", "minim", "veniam", "quis", "exercitation",
    "nisi", "commodo", "consequat", "aute", "velit", "esse", "nulla", "sint", "sunt", "culpa"
  };

  // After the word lists: static fields initialise in order.
  static final LoremGenerator INSTANCE = new LoremGenerator();

  private final String[] spaced;
  private final String[] capitalised;
  private final String[] openers;

  private LoremGenerator() {
    spaced = new String[ANY_POSITION.length + MID_SENTENCE_ONLY.length];
    capitalised = new String[ANY_POSITION.length];
    openers = new String[ANY_POSITION.length];
    for (int i = 0; i < ANY_POSITION.length; i++) {
      String word = ANY_POSITION[i];
      String cap = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      spaced[i] = " " + word;
      capitalised[i] = " " + cap;
      openers[i] = cap;
    }
    for (int i = 0; i < MID_SENTENCE_ONLY.length; i++) {
      spaced[ANY_POSITION.length + i] = " " + MID_SENTENCE_ONLY[i];
    }
  }

  @Override
  public Pieces generate(
      ChatRequest request, int targetTokens, Tokenizer tokenizer, RandomGenerator random) {
    List<String> out = new ArrayList<>(targetTokens);
    int sentenceLeft = 0;
    while (out.size() < targetTokens) {
      boolean last = out.size() == targetTokens - 1;
      if (sentenceLeft == 0) {
        out.add(out.isEmpty() ? pick(openers, random) : pick(capitalised, random));
        sentenceLeft = 5 + random.nextInt(10);
      } else if (sentenceLeft == 1 || last) {
        out.add(".");
        sentenceLeft = 0;
      } else {
        out.add(pick(spaced, random));
        sentenceLeft--;
      }
    }
    return Pieces.ofSingleTokens(out);
  }

  private static String pick(String[] words, RandomGenerator random) {
    return words[random.nextInt(words.length)];
  }
}
