package io.llmsim.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.Distribution;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.Message;
import io.llmsim.core.model.ToolChoice;
import io.llmsim.core.tokens.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynthesizerTest {
  private static final long MS = 1_000_000L;
  private final Synthesizer synthesizer = new Synthesizer();
  private final Tokenizer tokenizer = Tokenizer.o200k();

  private static ChatRequest request(Integer maxTokens, int n) {
    return new ChatRequest("gpt-4o", List.of(new Message("user", "hello there", null)), List.of(),
        ToolChoice.NONE, null, false, maxTokens, n, true, true, true, null);
  }

  private static LatencyProfile constant(double ttftMs, double prefill, double itlMs, int tokens) {
    return new LatencyProfile("test", Distribution.constant(ttftMs), prefill,
        Distribution.constant(itlMs), Distribution.constant(tokens), Distribution.constant(1));
  }

  @Test
  void planOffsetsAreTtftPlusPrefillThenOneGapPerToken() {
    Synthesis s = synthesizer.synthesize(request(null, 1), 2000, constant(100, 10, 20, 5),
        Generators.lorem(), tokenizer, 1);
    // Opening step and first token at TTFT (100 ms + 10 ms/1k × 2000 tokens), then 20 ms apart.
    assertThat(s.stepOffsetsNanos())
        .containsExactly(120 * MS, 120 * MS, 140 * MS, 160 * MS, 180 * MS, 200 * MS);
    assertThat(s.completionNanos()).isEqualTo(200 * MS);
    assertThat(s.usage().completionTokens()).isEqualTo(5);
    assertThat(s.usage().promptTokens()).isEqualTo(2000);
  }

  @Test
  void seedFixesTextAndTimingAndTheProfileDoesNotChangeTheText() {
    LatencyProfile gpt = ProfileCatalog.builtIn().require("openai-gpt-4o");
    Synthesis a = synthesizer.synthesize(request(null, 1), 10, gpt, Generators.lorem(), tokenizer, 7);
    Synthesis b = synthesizer.synthesize(request(null, 1), 10, gpt, Generators.lorem(), tokenizer, 7);
    Synthesis c = synthesizer.synthesize(request(null, 1), 10, gpt, Generators.lorem(), tokenizer, 8);
    Synthesis d = synthesizer.synthesize(request(null, 1), 10,
        ProfileCatalog.builtIn().require("instant"), Generators.lorem(), tokenizer, 7);
    assertThat(a.choices()).isEqualTo(b.choices());
    assertThat(a.stepOffsetsNanos()).isEqualTo(b.stepOffsetsNanos());
    assertThat(a.choices().get(0).content()).isNotEqualTo(c.choices().get(0).content());
    assertThat(d.choices().get(0).content()).isEqualTo(a.choices().get(0).content());
    for (int k = 1; k < a.steps(); k++) {
      assertThat(a.offset(k)).isGreaterThanOrEqualTo(a.offset(k - 1));
    }
  }

  @Test
  void completionTokensAreTheTokensOfTheEmittedText() {
    for (long seed = 0; seed < 50; seed++) {
      Synthesis s = synthesizer.synthesize(request(null, 1), 10,
          ProfileCatalog.builtIn().require("instant"), Generators.lorem(), tokenizer, seed);
      Choice choice = s.choices().get(0);
      assertThat(tokenizer.count(choice.content())).isEqualTo(choice.completionTokens());
      assertThat(Tokenizer.cl100k().count(choice.content())).isEqualTo(choice.completionTokens());
      assertThat(choice.contentChunks()).hasSize(choice.completionTokens());
    }
  }

  @Test
  void maxTokensCapsTheAnswerAndSaysLength() {
    Synthesis s = synthesizer.synthesize(request(4, 2), 10, constant(0, 0, 0, 50),
        Generators.lorem(), tokenizer, 3);
    assertThat(s.choices()).hasSize(2).allSatisfy(choice -> {
      assertThat(choice.completionTokens()).isEqualTo(4);
      assertThat(choice.finishReason()).isEqualTo(FinishReason.LENGTH);
    });
    assertThat(s.usage().completionTokens()).isEqualTo(8);
    Synthesis fits = synthesizer.synthesize(request(100, 1), 10, constant(0, 0, 0, 50),
        Generators.lorem(), tokenizer, 3);
    assertThat(fits.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void echoAndFixedGeneratorsCountTheirTokensExactly() {
    Synthesis echo = synthesizer.synthesize(request(null, 1), 10, constant(0, 0, 0, 5),
        Generators.echo(), tokenizer, 1);
    assertThat(echo.choices().get(0).content()).isEqualTo("hello there");
    assertThat(echo.usage().completionTokens()).isEqualTo(2);
    Synthesis fixed = synthesizer.synthesize(request(null, 1), 10, constant(0, 0, 0, 5),
        Generators.fixed("Ünïcödé ✓ 你好"), tokenizer, 1);
    assertThat(fixed.choices().get(0).content()).isEqualTo("Ünïcödé ✓ 你好");
    assertThat(fixed.usage().completionTokens()).isEqualTo(tokenizer.count("Ünïcödé ✓ 你好"));
  }

  @Test
  void sequenceGeneratorCyclesThroughItsTexts() {
    var generator = Generators.parse("sequence:one|two");
    List<String> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(synthesizer.synthesize(request(null, 1), 10, constant(0, 0, 0, 5), generator,
          tokenizer, i).choices().get(0).content());
    }
    assertThat(answers).containsExactly("one", "two", "one");
  }

  @Test
  void chunkSizesAndAnswerLengthsAreDrawnFromTheProfile() {
    // A profile as 'profile fit' writes it for a provider that streams several tokens per chunk.
    LatencyProfile fitted = new LatencyProfile("fitted", new Distribution.Gamma(4, 100), 0,
        new Distribution.LogNormal(2.5, 0.4), new Distribution.LogNormal(Math.log(80), 0.3),
        new Distribution.Gamma(16, 0.25));
    int chunks = 0;
    int tokens = 0;
    double[] lengths = new double[400];
    for (int seed = 0; seed < lengths.length; seed++) {
      Synthesis s = synthesizer.synthesize(request(null, 1), 10, fitted, Generators.lorem(),
          tokenizer, seed);
      Choice choice = s.choices().get(0);
      chunks += choice.contentChunks().size();
      tokens += choice.completionTokens();
      lengths[seed] = choice.completionTokens();
      // One step per chunk after the opening one: each chunk waits one drawn gap.
      assertThat(s.steps()).isEqualTo(1 + choice.contentChunks().size());
    }
    // Mean tokens per chunk is the gamma's mean of 4 (less a little: each answer's last chunk is
    // whatever is left).
    assertThat((double) tokens / chunks).isBetween(3.5, 4.2);
    java.util.Arrays.sort(lengths);
    assertThat(lengths[lengths.length / 2]).isBetween(72.0, 88.0);
  }
}
