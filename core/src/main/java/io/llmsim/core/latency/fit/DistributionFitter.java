package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.Distribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Fits lognormal, gamma and normal distributions to a sample by maximum likelihood and keeps the
 * one with the lowest AIC (all have two parameters, so this is the highest likelihood). The chosen
 * parameters are rounded to six significant digits, the form they take in a profiles file.
 *
 * <p>Values below the recording resolution (1 µs = 0.001 ms, such as the zero gap between two
 * events that arrived in one network read) are raised to it for the positive families, so every
 * family is judged on the same data. Such a sample usually fits poorly, and then the empirical
 * quantiles are written instead.
 */
public final class DistributionFitter {
  /** Below this many samples a fit is flagged {@link FitFlag#FEW_SAMPLES}. */
  public static final int FEW_SAMPLES = 30;

  /** Probabilities of the empirical quantiles kept with every fit. */
  public static final double[] EMPIRICAL_PROBABILITIES = {
    0, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 1
  };

  /** The smallest value the positive families are fitted to: the recordings' resolution, in ms. */
  static final double RESOLUTION = 0.001;

  /** A KS distance below this is never called poor, however many samples there are. */
  static final double GOOD_ENOUGH_KS = 0.05;

  private static final Map<String, Function<double[], MaximumLikelihood.Fit>> FAMILIES = Map.of(
      "lognormal", MaximumLikelihood::logNormal,
      "gamma", MaximumLikelihood::gamma,
      "normal", MaximumLikelihood::normal);
  private static final List<String> ORDER = List.of("lognormal", "gamma", "normal");

  private DistributionFitter() {}

  private static final double NEVER_CONSTANT = Double.POSITIVE_INFINITY;

  /** Fits a continuous quantity (a latency, a length). */
  public static DistributionFit fit(double[] values) {
    return fit(values, NEVER_CONSTANT);
  }

  /**
   * Fits a quantity, and writes a constant when at least {@code constantShare} of the values round
   * to the same whole number (tokens per chunk: OpenAI streams one token per chunk, and a constant
   * 1 keeps the synthesizer's one-token-per-chunk path).
   */
  public static DistributionFit fit(double[] values, double constantShare) {
    double[] sorted = Quantiles.sorted(values);
    int n = sorted.length;
    Set<FitFlag> flags = EnumSet.noneOf(FitFlag.class);
    if (n < FEW_SAMPLES) {
      flags.add(FitFlag.FEW_SAMPLES);
    }
    double[] observed = new double[DistributionFit.REPORTED.length];
    for (int i = 0; i < observed.length; i++) {
      observed[i] = n == 0 ? Double.NaN : Quantiles.of(sorted, DistributionFit.REPORTED[i]);
    }
    if (n < 2 || sorted[0] == sorted[n - 1]) {
      double value = n == 0 ? 0 : Math.max(0, Quantiles.round(sorted[0]));
      Distribution constant = Distribution.constant(value);
      return new DistributionFit(n, nonParametric("constant", constant, sorted), List.of(),
          n < 2 ? null : empirical(sorted), observed, flags);
    }
    Distribution.Empirical empirical = empirical(sorted);
    Long common = commonWholeNumber(sorted, constantShare);
    if (common != null) {
      Distribution constant = Distribution.constant(common);
      return new DistributionFit(n, nonParametric("constant", constant, sorted), List.of(),
          empirical, observed, flags);
    }

    double[] floored = new double[n];
    for (int i = 0; i < n; i++) {
      floored[i] = Math.max(RESOLUTION, sorted[i]);
    }
    List<Candidate> candidates = new ArrayList<>();
    for (String family : ORDER) {
      Distribution d;
      try {
        d = round(FAMILIES.get(family).apply(floored).distribution());
      } catch (IllegalArgumentException e) {
        continue; // e.g. gamma on values that are all equal after flooring
      }
      candidates.add(new Candidate(family, d, MaximumLikelihood.logLikelihood(d, floored), 2,
          KolmogorovSmirnov.statistic(sorted, d)));
    }
    candidates.sort(Comparator.comparingDouble(Candidate::aic));
    if (candidates.isEmpty()) {
      return new DistributionFit(n, nonParametric("empirical", empirical, sorted), candidates,
          empirical, observed, flags);
    }
    Candidate best = candidates.get(0);
    double poorAbove = Math.max(GOOD_ENOUGH_KS, KolmogorovSmirnov.criticalValue01(n));
    Candidate chosen = best;
    if (best.ks() > poorAbove) {
      flags.add(FitFlag.POOR_FIT);
      if (n >= FEW_SAMPLES) {
        chosen = nonParametric("empirical", empirical, sorted);
      }
    }
    return new DistributionFit(n, chosen, candidates, empirical, observed, flags);
  }

  private static Candidate nonParametric(String family, Distribution d, double[] sorted) {
    double ks = sorted.length == 0 ? 0 : KolmogorovSmirnov.statistic(sorted, d);
    return new Candidate(family, d, Double.NaN, 0, ks);
  }

  /** The whole number at least {@code share} of the values round to, or null. */
  private static Long commonWholeNumber(double[] sorted, double share) {
    if (share > 1) {
      return null;
    }
    Map<Long, Integer> counts = new HashMap<>();
    for (double v : sorted) {
      counts.merge(Math.round(v), 1, Integer::sum);
    }
    for (Map.Entry<Long, Integer> e : counts.entrySet()) {
      if (e.getKey() >= 0 && e.getValue() >= share * sorted.length) {
        return e.getKey();
      }
    }
    return null;
  }

  static Distribution.Empirical empirical(double[] sorted) {
    double[] ps = EMPIRICAL_PROBABILITIES.clone();
    double[] vs = new double[ps.length];
    double previous = 0;
    for (int i = 0; i < ps.length; i++) {
      // Rounding is monotone, so the values still ascend; negatives (a prefill residual) clamp.
      vs[i] = Math.max(previous, Math.max(0, Quantiles.round(Quantiles.of(sorted, ps[i]))));
      previous = vs[i];
    }
    return new Distribution.Empirical(ps, vs);
  }

  private static Distribution round(Distribution d) {
    if (d instanceof Distribution.LogNormal ln) {
      return new Distribution.LogNormal(Quantiles.round(ln.mu()), Quantiles.round(ln.sigma()));
    }
    if (d instanceof Distribution.Gamma g) {
      return new Distribution.Gamma(Quantiles.round(g.shape()), Quantiles.round(g.scale()));
    }
    if (d instanceof Distribution.Normal nd) {
      return new Distribution.Normal(Quantiles.round(nd.mean()), Quantiles.round(nd.stddev()));
    }
    return d;
  }
}
