package io.llmsim.core.synth;

import io.llmsim.core.generate.TextGenerator;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import java.util.Objects;

/**
 * Server-wide synthesis settings: the profile catalog, the generator, an optional profile that
 * overrides the per-model mapping, and the default speed.
 */
public record SynthesisSettings(
    ProfileCatalog profiles, TextGenerator generator, String forcedProfile, Speed speed) {

  public SynthesisSettings {
    Objects.requireNonNull(profiles, "profiles");
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(speed, "speed");
    if (forcedProfile != null) {
      profiles.require(forcedProfile);
    }
  }

  public static SynthesisSettings defaults() {
    return new SynthesisSettings(
        ProfileCatalog.builtIn(), io.llmsim.core.generate.Generators.lorem(), null, Speed.NORMAL);
  }

  /**
   * The profile for one request: the request's own choice, else the server's forced profile, else
   * the catalog's mapping for the model.
   *
   * @throws io.llmsim.core.error.ApiException when the request names an unknown profile
   */
  public LatencyProfile profileFor(String model, String requested) {
    if (requested != null) {
      LatencyProfile profile = profiles.get(requested);
      if (profile == null) {
        throw new io.llmsim.core.error.ApiException(
            new io.llmsim.core.error.ApiError(
                io.llmsim.core.error.ApiError.Kind.INVALID_REQUEST, 400, null,
                "invalid_simulation_mode", "x-simulation-mode",
                "x-simulation-mode: unknown latency profile '" + requested + "'; known: "
                    + String.join(", ", profiles.profiles().keySet())));
      }
      return profile;
    }
    return forcedProfile != null ? profiles.require(forcedProfile) : profiles.forModel(model);
  }
}
