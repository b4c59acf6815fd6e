package io.llmsim.core.api;

import io.llmsim.core.synth.SynthesisSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the provider APIs need from the server's configuration.
 *
 * @param extraModels model ids to list beside the built-in ones
 * @param azureDeployments Azure OpenAI deployment name to the model it serves; empty means every
 *     deployment name is taken as the model's name
 */
public record ApiConfig(
    SynthesisSettings synthesis, List<String> extraModels, Map<String, String> azureDeployments) {
  public ApiConfig {
    Objects.requireNonNull(synthesis, "synthesis");
    extraModels = List.copyOf(extraModels);
    azureDeployments = Map.copyOf(azureDeployments);
  }

  /** A configuration without Azure deployments. */
  public ApiConfig(SynthesisSettings synthesis, List<String> extraModels) {
    this(synthesis, extraModels, Map.of());
  }

  public static ApiConfig defaults() {
    return new ApiConfig(SynthesisSettings.defaults(), List.of(), Map.of());
  }
}
