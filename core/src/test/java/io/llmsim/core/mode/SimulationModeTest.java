package io.llmsim.core.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulationModeTest {
  @Test
  void parsesModeAndParameters() {
    SimulationMode m = SimulationMode.parse(" Synthesize ; seed=7;speed=2x ; profile=fast ;");
    assertThat(m.mode()).isEqualTo(Mode.SYNTHESIZE);
    assertThat(m.seed()).isEqualTo(7L);
    assertThat(m.speed()).isEqualTo(new Speed(2));
    assertThat(m.param("profile")).isEqualTo("fast");
    assertThat(SimulationMode.parse("replay").params()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                         | missing mode",
      "dream                      | 'dream'",
      "synthesize; seed           | 'seed' must have the form name=value",
      "synthesize; =3             | '=3'",
      "synthesize; colour=red     | 'colour'",
      "synthesize; seed=1; seed=2 | 'seed' given twice",
      "synthesize;; seed=1        | empty parameter",
  })
  void refusesMalformedHeadersNamingTheBadToken(String header, String expected) {
    assertThatThrownBy(() -> SimulationMode.parse(header))
        .isInstanceOf(SimulationModeException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void valueErrorsNameTheValue() {
    assertThatThrownBy(() -> SimulationMode.parse("synthesize; seed=x1").seed())
        .hasMessageContaining("'x1'");
    assertThatThrownBy(() -> SimulationMode.parse("synthesize; speed=warp").speed())
        .hasMessageContaining("'warp'");
  }

  @ParameterizedTest
  @CsvSource({"2,2.0", "2x,2.0", "0.5x,0.5", "1X,1.0"})
  void parsesSpeeds(String text, double factor) {
    assertThat(Speed.parse(text).factor()).isEqualTo(factor);
  }

  @Test
  void speedScalesOffsetsAndMaxRemovesThem() {
    assertThat(Speed.parse("2x").scale(1_000_000)).isEqualTo(500_000);
    assertThat(Speed.parse("0.5x").scale(1_000_000)).isEqualTo(2_000_000);
    assertThat(Speed.parse("max").scale(1_000_000)).isZero();
    assertThatThrownBy(() -> Speed.parse("0")).hasMessageContaining("'0'");
    assertThatThrownBy(() -> Speed.parse("-1x")).hasMessageContaining("'-1x'");
  }
}
