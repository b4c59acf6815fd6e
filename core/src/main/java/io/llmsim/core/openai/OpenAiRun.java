package io.llmsim.core.openai;

import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-request choices behind one synthesized answer: the latency profile, the speed and the
 * seed, each from the {@code x-simulation-mode} header first, then the request body, then the
 * server's settings.
 */
record OpenAiRun(LatencyProfile profile, Speed speed, long seed) {
  /** Mixed into the seed for ids and padding, so they do not follow the text's random stream. */
  private static final long ID_STREAM = 0x5DEECE66DL;

  /**
   * @param requestSeed the body's own seed, or null
   * @throws io.llmsim.core.error.ApiException when the header names an unknown profile
   */
  static OpenAiRun resolve(
      SynthesisSettings settings, String model, RequestOptions options, Long requestSeed) {
    LatencyProfile profile = settings.profileFor(model, options.profile());
    Speed speed = options.speed() != null ? options.speed() : settings.speed();
    long seed =
        options.seed() != null
            ? options.seed()
            : requestSeed != null ? requestSeed : ThreadLocalRandom.current().nextLong();
    return new OpenAiRun(profile, speed, seed);
  }

  /** Ids and padding come from their own stream of the seed: stable, and independent of text. */
  SplittableRandom ids() {
    return new SplittableRandom(seed ^ ID_STREAM);
  }
}
