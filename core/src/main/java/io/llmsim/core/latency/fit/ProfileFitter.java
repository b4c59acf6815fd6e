package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.LatencyProfile;
import java.util.List;
import java.util.Objects;

/**
 * Fits a {@link LatencyProfile} to the samples of one group of exchanges (one model, or one
 * provider/endpoint/model). The synthesizer's TTFT is {@code ttft + prefill · promptTokens / 1000},
 * so the prefill slope comes first, by Theil–Sen regression of TTFT on prompt size; the TTFT
 * distribution is then fitted to what is left once that term is taken out. A slope that comes out
 * negative (no measurable prefill cost) is written as 0.
 */
public final class ProfileFitter {
  /** Tokens per chunk are written as a constant when this share of events carries one count. */
  static final double CONSTANT_CHUNK_SHARE = 0.9;

  private ProfileFitter() {}

  public static ProfileFit fit(String name, List<ExchangeSample> samples) {
    Objects.requireNonNull(name, "name");
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples to fit profile '" + name + "' to");
    }
    int n = samples.size();
    double[] promptK = new double[n];
    double[] ttft = new double[n];
    for (int i = 0; i < n; i++) {
      promptK[i] = samples.get(i).promptTokens() / 1000.0;
      ttft[i] = samples.get(i).ttftMs();
    }
    TheilSen.Line line = TheilSen.fit(promptK, ttft);
    double slope = Math.max(0, Quantiles.round(line.slope()));
    double[] base = new double[n];
    for (int i = 0; i < n; i++) {
      base[i] = ttft[i] - slope * promptK[i];
    }
    DistributionFit ttftFit = DistributionFitter.fit(base);
    DistributionFit itlFit = DistributionFitter.fit(concat(samples, true));
    DistributionFit chunkFit =
        DistributionFitter.fit(concat(samples, false), CONSTANT_CHUNK_SHARE);
    DistributionFit outputFit = DistributionFitter.fit(
        samples.stream().mapToDouble(ExchangeSample::outputTokens).toArray());
    double[] speeds = Quantiles.sorted(samples.stream()
        .mapToDouble(ExchangeSample::outputTokensPerSecond)
        .filter(Double::isFinite)
        .toArray());
    double[] speedQuantiles = new double[DistributionFit.REPORTED.length];
    for (int i = 0; i < speedQuantiles.length; i++) {
      speedQuantiles[i] = Quantiles.of(speeds, DistributionFit.REPORTED[i]);
    }
    LatencyProfile profile = new LatencyProfile(
        name, ttftFit.distribution(), slope, itlFit.distribution(), outputFit.distribution(),
        chunkFit.distribution());
    return new ProfileFit(profile, n, ttftFit, line, itlFit, chunkFit, outputFit, speedQuantiles);
  }

  private static double[] concat(List<ExchangeSample> samples, boolean gaps) {
    int total = 0;
    for (ExchangeSample s : samples) {
      total += gaps ? s.gapsMs().length : s.tokensPerChunk().length;
    }
    double[] all = new double[total];
    int at = 0;
    for (ExchangeSample s : samples) {
      double[] part = gaps ? s.gapsMs() : s.tokensPerChunk();
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
