package io.llmsim.core.latency.fit;

import io.llmsim.core.latency.Distribution;
import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.Trigamma;

/**
 * Maximum-likelihood fits of the parametric families a profile can hold. Lognormal and normal
 * have closed forms; gamma solves ln k − ψ(k) = ln(mean) − mean(ln x) by Newton's method from
 * Minka's closed-form approximation, which is within a few percent of the root.
 *
 * <p>Every method needs at least two values; lognormal and gamma need every value {@code > 0}.
 * Fitted parameters come back unrounded, with the log-likelihood at the maximum.
 */
public final class MaximumLikelihood {
  private static final double LN_TWO_PI = Math.log(2 * Math.PI);

  /** A fitted distribution and its maximised log-likelihood. */
  public record Fit(Distribution distribution, double logLikelihood) {}

  private MaximumLikelihood() {}

  /** μ and σ are the mean and (population) standard deviation of ln x. */
  public static Fit logNormal(double[] x) {
    requirePositive(x, "lognormal");
    int n = x.length;
    double sumLog = 0;
    for (double v : x) {
      sumLog += Math.log(v);
    }
    double mu = sumLog / n;
    double ss = 0;
    for (double v : x) {
      double d = Math.log(v) - mu;
      ss += d * d;
    }
    double sigma = Math.sqrt(ss / n);
    double logLikelihood =
        -sumLog - n * Math.log(sigma) - 0.5 * n * LN_TWO_PI - 0.5 * n;
    return new Fit(new Distribution.LogNormal(mu, sigma), logLikelihood);
  }

  /** Mean and (population) standard deviation. */
  public static Fit normal(double[] x) {
    requireTwo(x);
    int n = x.length;
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    double mean = sum / n;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    double variance = ss / n;
    double logLikelihood = -0.5 * n * (LN_TWO_PI + Math.log(variance)) - 0.5 * n;
    return new Fit(new Distribution.Normal(mean, Math.sqrt(variance)), logLikelihood);
  }

  /** Shape k by Newton on the digamma equation, then scale θ = mean / k. */
  public static Fit gamma(double[] x) {
    requirePositive(x, "gamma");
    int n = x.length;
    double sum = 0;
    double sumLog = 0;
    for (double v : x) {
      sum += v;
      sumLog += Math.log(v);
    }
    double mean = sum / n;
    double s = Math.log(mean) - sumLog / n;
    if (!(s > 0)) {
      throw new IllegalArgumentException("gamma fit needs values that are not all equal");
    }
    double k = (3 - s + Math.sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
    for (int i = 0; i < 100; i++) {
      double f = Math.log(k) - Digamma.value(k) - s;
      double slope = 1 / k - Trigamma.value(k);
      double next = k - f / slope;
      if (!(next > 0)) {
        next = k / 2; // f is convex and decreasing: a step past zero only means "smaller"
      }
      boolean done = Math.abs(next - k) <= 1e-12 * k;
      k = next;
      if (done) {
        break;
      }
    }
    double scale = mean / k;
    double logLikelihood = (k - 1) * sumLog - sum / scale
        - n * (k * Math.log(scale) + LogGamma.value(k));
    return new Fit(new Distribution.Gamma(k, scale), logLikelihood);
  }

  /** The log-likelihood of a sample under a distribution with a density. */
  public static double logLikelihood(Distribution d, double[] x) {
    double sum = 0;
    for (double v : x) {
      sum += logDensity(d, v);
    }
    return sum;
  }

  private static double logDensity(Distribution d, double v) {
    if (d instanceof Distribution.LogNormal ln) {
      double z = (Math.log(v) - ln.mu()) / ln.sigma();
      return -Math.log(v) - Math.log(ln.sigma()) - 0.5 * LN_TWO_PI - 0.5 * z * z;
    }
    if (d instanceof Distribution.Gamma g) {
      return (g.shape() - 1) * Math.log(v) - v / g.scale()
          - g.shape() * Math.log(g.scale()) - LogGamma.value(g.shape());
    }
    if (d instanceof Distribution.Normal nd) {
      double z = (v - nd.mean()) / nd.stddev();
      return -Math.log(nd.stddev()) - 0.5 * LN_TWO_PI - 0.5 * z * z;
    }
    throw new IllegalArgumentException("no density for " + d);
  }

  private static void requireTwo(double[] x) {
    if (x.length < 2) {
      throw new IllegalArgumentException("a fit needs at least two values, got " + x.length);
    }
  }

  private static void requirePositive(double[] x, String family) {
    requireTwo(x);
    for (double v : x) {
      if (!(v > 0)) {
        throw new IllegalArgumentException(family + " fit needs values > 0, got " + v);
      }
    }
  }
}
