package io.llmsim.store.profile;

import io.llmsim.core.latency.fit.ExchangeSample;
import io.llmsim.core.latency.fit.ProfileFit;
import io.llmsim.core.latency.fit.ProfileFitter;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits one latency profile per group of recorded exchanges. Exchanges are read once, in the
 * store's order; each gives a sample or a reason to skip it; groups with fewer samples than
 * {@code minSamples} are left out. Blocking (reads the store).
 */
public final class RecordingFitter {
  private RecordingFitter() {}

  public static RecordingFit fit(ExchangeStore store, Grouping grouping, int minSamples) {
    if (minSamples < 2) {
      throw new IllegalArgumentException("min-samples must be at least 2, got " + minSamples);
    }
    Map<String, List<ExchangeSample>> groups = new TreeMap<>();
    Map<String, String> modelOf = new LinkedHashMap<>();
    Map<SampleExtractor.Skip, Integer> skipped = new EnumMap<>(SampleExtractor.Skip.class);
    int[] read = {0};
    store.forEach(exchange -> {
      read[0]++;
      SampleExtractor.Result result = SampleExtractor.extract(exchange);
      if (result.sample() == null) {
        skipped.merge(result.skipped(), 1, Integer::sum);
        return;
      }
      String key = grouping.key(exchange);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(result.sample());
      modelOf.putIfAbsent(key, modelName(exchange));
    });

    List<ProfileFit> fits = new ArrayList<>();
    Map<String, List<ExchangeSample>> used = new LinkedHashMap<>();
    Map<String, String> models = new LinkedHashMap<>();
    Map<String, Integer> tooFew = new LinkedHashMap<>();
    int usedCount = 0;
    for (Map.Entry<String, List<ExchangeSample>> group : groups.entrySet()) {
      List<ExchangeSample> samples = group.getValue();
      if (samples.size() < minSamples) {
        tooFew.put(group.getKey(), samples.size());
        continue;
      }
      fits.add(ProfileFitter.fit(group.getKey(), samples));
      used.put(group.getKey(), samples);
      usedCount += samples.size();
      String model = modelOf.get(group.getKey());
      // Per-endpoint profiles share a model, so only per-model profiles get a model mapping.
      if (grouping == Grouping.MODEL && model != null && !model.contains("*")
          && !model.contains("?")) {
        models.put(model, group.getKey());
      }
    }
    return new RecordingFit(grouping, fits, used, models, read[0], usedCount, skipped, tooFew);
  }

  private static String modelName(RecordedExchange exchange) {
    return exchange.model() == null || exchange.model().isBlank() ? null : exchange.model();
  }
}
