package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the YAML config reader with config files: loading either gives a server config or
 * refuses with {@link ConfigException}, whose problems name the file; any other exception is a
 * finding. Saved inputs: {@code ConfigLoaderFuzzTestInputs/<method>/}; see docs/reliability.md.
 */
class ConfigLoaderFuzzTest {
  @TempDir static Path dir;

  @FuzzTest(maxDuration = "5m")
  void configFile(byte[] input) throws IOException {
    Path file = Files.write(dir.resolve("llmsim.yaml"), input);
    try {
      assertThat(ConfigLoader.load(ServeOptions.none(), Map.of(), file)).isNotNull();
    } catch (ConfigException refused) {
      assertThat(refused.problems()).isNotEmpty().allMatch(problem -> problem.contains("llmsim.yaml"));
    }
  }
}
