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
   */
  public LatencyProfile profileFor(String model, String requested) {
    if (requested != null) {
      return profiles.require(requested);
    }
    return forcedProfile != null ? profiles.require(forcedProfile) : profiles.forModel(model);
  }
}
