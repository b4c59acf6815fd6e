package io.llmsim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The users each shape makes active, at chosen moments. */
class LoadPatternTest {
  private static final Duration MINUTE = Duration.ofSeconds(60);

  private static LoadPattern of(LoadPattern.Shape shape, Duration period) {
    return new LoadPattern(shape, 10, 110, MINUTE, period, 4);
  }

  private static int at(LoadPattern pattern, long seconds) {
    return pattern.usersAt(Duration.ofSeconds(seconds));
  }

  @Test
  void steadyIsThePeakThroughout() {
    LoadPattern steady = LoadPattern.steady(50, MINUTE);
    assertThat(steady.isSteady()).isTrue();
    assertThat(at(steady, 0)).isEqualTo(50);
    assertThat(at(steady, 59)).isEqualTo(50);
  }

  @Test
  void rampGoesFromTheLowPointToThePeakAndStaysThere() {
    LoadPattern ramp = of(LoadPattern.Shape.RAMP, MINUTE);
    assertThat(at(ramp, 0)).isEqualTo(10);
    assertThat(at(ramp, 30)).isEqualTo(60);
    assertThat(at(ramp, 60)).isEqualTo(110);
    assertThat(at(ramp, 90)).isEqualTo(110); // past the end
  }

  @Test
  void stepClimbsInEqualPlateaus() {
    LoadPattern step = of(LoadPattern.Shape.STEP, MINUTE);
    assertThat(at(step, 0)).isEqualTo(35);
    assertThat(at(step, 14)).isEqualTo(35);
    assertThat(at(step, 15)).isEqualTo(60);
    assertThat(at(step, 45)).isEqualTo(110);
    assertThat(at(step, 60)).isEqualTo(110);
  }

  @Test
  void spikeIsThePeakForTheMiddleTenth() {
    LoadPattern spike = of(LoadPattern.Shape.SPIKE, MINUTE);
    assertThat(at(spike, 26)).isEqualTo(10);
    assertThat(at(spike, 27)).isEqualTo(110);
    assertThat(at(spike, 32)).isEqualTo(110);
    assertThat(at(spike, 33)).isEqualTo(10);
  }

  @Test
  void waveCyclesOncePerPeriod() {
    LoadPattern wave = of(LoadPattern.Shape.WAVE, Duration.ofSeconds(20));
    assertThat(at(wave, 0)).isEqualTo(10);
    assertThat(at(wave, 5)).isEqualTo(60);
    assertThat(at(wave, 10)).isEqualTo(110);
    assertThat(at(wave, 20)).isEqualTo(10);
    assertThat(at(wave, 30)).isEqualTo(110);
  }

  @Test
  void diurnalIsQuietAtNightAndPeaksInTheAfternoon() {
    LoadPattern day = of(LoadPattern.Shape.DIURNAL, Duration.ofSeconds(24)); // an hour a second
    assertThat(at(day, 3)).isEqualTo(10); // 3 am, the quietest hour
    assertThat(at(day, 14)).isEqualTo(110); // 2 pm, the peak
    assertThat(at(day, 9)).isBetween(75, 90);
    assertThat(at(day, 23)).isBetween(20, 40);
  }

  @Test
  void theWarmupRunsAtTheFirstValue() {
    assertThat(of(LoadPattern.Shape.RAMP, MINUTE).usersAt(Duration.ofSeconds(-5))).isEqualTo(10);
  }

  @Test
  void badShapesAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> LoadPattern.Shape.named("zigzag"))
        .hasMessageContaining("unknown pattern 'zigzag'");
    assertThatThrownBy(() -> new LoadPattern(LoadPattern.Shape.RAMP, 5, 4, MINUTE, MINUTE, 1))
        .hasMessageContaining("lowest concurrency");
    assertThatThrownBy(() -> new LoadPattern(LoadPattern.Shape.STEP, 1, 4, MINUTE, MINUTE, 0))
        .hasMessageContaining("at least 1 step");
  }
}
