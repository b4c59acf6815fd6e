package io.llmsim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadMainTest {
  @Test
  void durations() {
    assertThat(LoadMain.duration("20ms", false)).isEqualTo(Duration.ofMillis(20));
    assertThat(LoadMain.duration("1.5s", true)).isEqualTo(Duration.ofMillis(1500));
    assertThat(LoadMain.duration("2m", true)).isEqualTo(Duration.ofMinutes(2));
    assertThat(LoadMain.duration("250us", true)).isEqualTo(Duration.ofNanos(250_000));
    assertThat(LoadMain.duration("PT20S", true)).isEqualTo(Duration.ofSeconds(20));
    assertThat(LoadMain.duration("20", true)).isEqualTo(Duration.ofMillis(20));
    assertThat(LoadMain.duration("20", false)).isEqualTo(Duration.ofSeconds(20));
    assertThatThrownBy(() -> LoadMain.duration("soon", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
