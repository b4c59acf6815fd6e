package io.llmsim.core.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.tokens.Pieces;
import io.llmsim.core.tokens.Tokenizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoremGeneratorTest {
  private static final Tokenizer O200K = Tokenizer.o200k();
  private static final Tokenizer CL100K = Tokenizer.cl100k();

  private static void assertOneToken(String text) {
    assertThat(O200K.count(text)).as("o200k tokens of '%s'", text).isEqualTo(1);
    assertThat(CL100K.count(text)).as("cl100k tokens of '%s'", text).isEqualTo(1);
  }

  @Test
  void everyWordFormIsOneTokenInBothEncodings() {
    for (String word : LoremGenerator.ANY_POSITION) {
      String cap = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      assertOneToken(" " + word);
      assertOneToken(" " + cap);
      assertOneToken(cap);
    }
    for (String word : LoremGenerator.MID_SENTENCE_ONLY) {
      assertOneToken(" " + word);
    }
  }

  @Test
  void answersHaveExactlyTheTargetLengthInTokens() {
    for (int target = 1; target < 300; target += 7) {
      Pieces pieces = Generators.lorem().generate(null, target, O200K, new SplittableRandom(target));
      assertThat(pieces.tokens()).isEqualTo(target);
      assertThat(O200K.count(pieces.text())).isEqualTo(target);
      assertThat(CL100K.count(pieces.text())).isEqualTo(target);
    }
  }
}
