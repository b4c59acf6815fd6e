package io.llmsim.core.latency.fit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProfilesFileWriterTest {
  @Test
  void numbersAreExactAndNeverInExponentForm() {
    // YAML 1.1 reads 1.0E10 (no sign after the E) as a string, so exponents are never written.
    for (double x : new double[] {0, 1, 40.2668, 6.1684, 1.0e-4, 1.0e10, 123456.789, 0.000012345}) {
      String written = ProfilesFileWriter.number(x);
      assertThat(written).doesNotContain("E").doesNotContain("e");
      assertThat(Double.parseDouble(written)).isEqualTo(x);
    }
    assertThat(ProfilesFileWriter.number(40)).isEqualTo("40");
  }

  @Test
  void namesAreQuotedOnlyWhenYamlWouldMisreadThem() {
    assertThat(ProfilesFileWriter.key("gpt-4o-mini")).isEqualTo("gpt-4o-mini");
    assertThat(ProfilesFileWriter.key("openai/chat.completions/gpt-4o"))
        .isEqualTo("openai/chat.completions/gpt-4o");
    assertThat(ProfilesFileWriter.key("no")).isEqualTo("\"no\"");
    assertThat(ProfilesFileWriter.key("my model: \"x\"")).isEqualTo("\"my model: \\\"x\\\"\"");
    assertThat(ProfilesFileWriter.key("*")).isEqualTo("\"*\"");
  }

  @Test
  void displayKeepsThreeOrFourSignificantDigits() {
    assertThat(ProfilesFileWriter.display(1471.55)).isEqualTo("1472");
    assertThat(ProfilesFileWriter.display(13.4635)).isEqualTo("13.5");
    assertThat(ProfilesFileWriter.display(0.0123)).isEqualTo("0.012");
    assertThat(ProfilesFileWriter.display(0)).isEqualTo("0");
  }
}
