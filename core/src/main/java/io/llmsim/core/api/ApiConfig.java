package io.llmsim.core.api;

import io.llmsim.core.synth.SynthesisSettings;
import java.util.List;
import java.util.Objects;

/**
 * What the provider APIs need from the server's configuration.
 *
 * @param extraModels model ids to list beside the built-in ones
 */
public record ApiConfig(SynthesisSettings synthesis, List<String> extraModels) {
  public ApiConfig {
    Objects.requireNonNull(synthesis, "synthesis");
    extraModels = List.copyOf(extraModels);
  }

  public static ApiConfig defaults() {
    return new ApiConfig(SynthesisSettings.defaults(), List.of());
  }
}
