package io.llmsim.core.generate;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fuzzes the regex sampler with the {@code pattern} of a string schema: parsing either gives a
 * pattern or says "unsupported" (null), and sampling finishes within {@link GenerationBudget}.
 * Saved inputs: {@code RegexSamplerFuzzTestInputs/<method>/}; see docs/reliability.md.
 */
class RegexSamplerFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void pattern(byte[] input) {
    sample(input);
  }

  /** Issue 17 item 6: {@code ((a|b){9999}){9999}} overflows the stack or runs out of memory. */
  @FuzzTest(maxDuration = "5m")
  void budgetReproductions(byte[] input) {
    sample(input);
  }

  private static void sample(byte[] input) {
    String pattern = new String(input, StandardCharsets.UTF_8);
    long seed = Arrays.hashCode(input);
    GenerationDeadline.finishesInTime(() -> {
      RegexSampler.Node node = RegexSampler.parse(pattern);
      return node == null ? "unsupported"
          : RegexSampler.sample(node, new SplittableRandom(seed), GenerationBudget.forRequest());
    });
  }
}
