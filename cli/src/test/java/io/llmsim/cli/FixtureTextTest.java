package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixtureTextTest {
  @Test
  void previewsShowLineBreaksAndControlsAndCutLongText() {
    assertThat(FixtureText.preview("data: hi\r\n\n".getBytes(StandardCharsets.UTF_8), 40))
        .isEqualTo("data: hi\\r\\n\\n");
    assertThat(FixtureText.preview(new byte[] {'a', 1, 'é' & 0x7f}, 40)).isEqualTo("a\\x01i");
    assertThat(FixtureText.preview("abcdefghij".getBytes(StandardCharsets.UTF_8), 4))
        .isEqualTo("abcd…");
    assertThat(FixtureText.preview(new byte[] {(byte) 0xff, 'a'}, 40)).isEqualTo("(binary)");
  }

  @Test
  void sizesAndTimes() {
    assertThat(FixtureText.size(1023)).isEqualTo("1023 B");
    assertThat(FixtureText.size(1536)).isEqualTo("1.5 KB");
    assertThat(FixtureText.size(3 * 1024 * 1024)).isEqualTo("3.0 MB");
    assertThat(FixtureText.millis(180_500)).isEqualTo("180.500");
    assertThat(FixtureText.time(1_760_000_000_123L)).isEqualTo("2025-10-09T08:53:20Z");
  }

  @Test
  void tablesPadColumnsWithoutTrailingSpaces() {
    assertThat(FixtureText.table(List.of(new String[] {"A", "BB", ""},
        new String[] {"ccc", "d", "e"}))).containsExactly("A    BB", "ccc  d   e");
  }

  @Test
  void progressRewritesOneLineAndClearsIt() {
    StringWriter err = new StringWriter();
    try (ProgressLine p = new ProgressLine(new PrintWriter(err), "importing", true)) {
      p.update(1, 4);
      p.update(4, 4);
    }
    assertThat(err.toString()).isEqualTo("\rimporting 1/4 (25%)\rimporting 4/4 (100%)"
        + "\r" + " ".repeat(20) + "\r");

    StringWriter silent = new StringWriter();
    try (ProgressLine p = new ProgressLine(new PrintWriter(silent), "importing", false)) {
      p.update(1, 4);
    }
    assertThat(silent.toString()).isEmpty();
    assertThat(ProgressLine.isTerminal(java.util.Map.of("TERM", "dumb"))).isFalse();
  }
}
