package io.llmsim.core.mode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.llmsim.core.api.ModeResolver;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.fault.Fault;
import io.llmsim.core.synth.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Fuzzes the {@code x-simulation-mode} grammar as a request meets it: header bytes (decoded the
 * way Netty decodes header values, one byte per character) through {@link ModeResolver}. A header
 * either resolves or is refused with the 400 {@code invalid_simulation_mode}; any other exception
 * is a finding. Saved inputs: {@code SimulationModeFuzzTestInputs/<method>/}; see
 * docs/reliability.md.
 */
class SimulationModeFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void header(byte[] input) {
    String header = new String(input, StandardCharsets.ISO_8859_1);
    RequestOptions options;
    try {
      options = ModeResolver.resolve(header);
    } catch (ApiException refused) {
      assertThat(refused.error().status()).isEqualTo(400);
      return;
    }
    assertThat(options.mode()).isNotNull();
    if (options.speed() != null) {
      assertThat(options.speed().factor()).isPositive();
    }
  }

  /**
   * Issue 17 item 6: {@code speed=0.0000001x} is accepted and the answer never finishes. A speed
   * must not stretch one second beyond the longest hang, as {@code hang} is bounded.
   */
  @FuzzTest(maxDuration = "5m")
  void speedIsBounded(byte[] input) {
    RequestOptions options;
    try {
      options = ModeResolver.resolve(new String(input, StandardCharsets.ISO_8859_1));
    } catch (ApiException refused) {
      return;
    }
    if (options.speed() != null) {
      assertThat(options.speed().scale(TimeUnit.SECONDS.toNanos(1)))
          .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(Fault.MAX_HANG_MILLIS));
    }
  }
}
