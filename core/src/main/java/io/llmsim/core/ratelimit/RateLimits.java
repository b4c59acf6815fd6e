package io.llmsim.core.ratelimit;

import io.llmsim.core.fault.Glob;
import java.util.List;
import java.util.Objects;

/**
 * The rate-limit config: off, or the limits every key gets on every model, with per-model
 * overrides (the first whose glob matches the model wins).
 */
public record RateLimits(boolean enabled, RateLimit defaults, List<ModelLimit> models) {
  public static final RateLimits OFF = new RateLimits(false, new RateLimit(0, 0), List.of());

  /** Limits for the models a glob matches. */
  public record ModelLimit(Glob model, RateLimit limit) {
    public ModelLimit {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(limit, "limit");
    }
  }

  public RateLimits {
    Objects.requireNonNull(defaults, "defaults");
    models = List.copyOf(models);
  }

  /** The limits of a model; the defaults when no override matches. */
  public RateLimit forModel(String model) {
    for (ModelLimit override : models) {
      if (override.model().matches(model)) {
        return override.limit();
      }
    }
    return defaults;
  }
}
