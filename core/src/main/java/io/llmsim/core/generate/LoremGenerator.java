package io.llmsim.core.generate;

import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.tokens.Pieces;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Lorem-ipsum sentences of exactly the requested length. Every word form it uses is one token in
 * both o200k_base and cl100k_base (checked once at start-up), so the answer is built from
 * ready-made pieces without running the tokenizer per request.
 */
final class LoremGenerator implements TextGenerator {
  private static final String[] WORDS = {
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
    "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad",
    "minim", "veniam", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip",
    "ex", "ea", "commodo", "consequat", "duis", "aute", "irure", "in", "reprehenderit", "voluptate",
    "velit", "esse", "cillum", "fugiat", "nulla", "pariatur", "excepteur", "sint", "occaecat",
    "non", "proident", "sunt", "culpa", "qui", "officia", "deserunt", "mollit", "anim", "id", "est",
    "the", "model", "answer", "data", "system", "test", "value", "result", "request", "simple",
    "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "a", "of", "to", "and", "is", "that",
    "for", "with", "as", "on", "by", "this", "from", "at", "be", "are", "it", "an", "or", "was"
  };

  static final LoremGenerator INSTANCE = new LoremGenerator();

  /** Word forms with a leading space, lower case and capitalised. */
  private final String[] spaced;
  private final String[] capitalised;
  /** Sentence openers without a leading space (the very first token of an answer). */
  private final String[] openers;

  private LoremGenerator() {
    Tokenizer a = Tokenizer.o200k();
    Tokenizer b = Tokenizer.cl100k();
    List<String> lower = new ArrayList<>();
    List<String> upper = new ArrayList<>();
    List<String> first = new ArrayList<>();
    for (String word : WORDS) {
      String space = " " + word;
      String cap = " " + Character.toUpperCase(word.charAt(0)) + word.substring(1);
      String bare = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      if (single(a, b, space)) {
        lower.add(space);
        upper.add(single(a, b, cap) ? cap : space);
        if (single(a, b, bare)) {
          first.add(bare);
        }
      }
    }
    spaced = lower.toArray(String[]::new);
    capitalised = upper.toArray(String[]::new);
    openers = first.toArray(String[]::new);
  }

  private static boolean single(Tokenizer a, Tokenizer b, String text) {
    return a.count(text) == 1 && b.count(text) == 1;
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
