package io.llmsim.store.profile;

import io.llmsim.core.latency.fit.ExchangeSample;
import io.llmsim.core.latency.fit.ProfileFit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles fitted to a set of recordings, and the account of what was used.
 *
 * @param grouping how exchanges were grouped
 * @param fits one fitted profile per group with enough samples, by name
 * @param samples the samples of every fitted group, by profile name (for histograms)
 * @param models model → profile name, for the profiles file's {@code models:} (only when grouped
 *     by model)
 * @param read exchanges read
 * @param used exchanges that gave a sample and belong to a fitted group
 * @param skipped exchanges that gave no sample, by reason
 * @param tooFew groups left out for having fewer samples than asked for, with their counts
 */
public record RecordingFit(
    Grouping grouping,
    List<ProfileFit> fits,
    Map<String, List<ExchangeSample>> samples,
    Map<String, String> models,
    int read,
    int used,
    Map<SampleExtractor.Skip, Integer> skipped,
    Map<String, Integer> tooFew) {

  public RecordingFit {
    fits = List.copyOf(fits);
    samples = Map.copyOf(samples);
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    skipped = Map.copyOf(skipped);
    tooFew = Collections.unmodifiableMap(new LinkedHashMap<>(tooFew));
  }
}
