package io.llmsim.core.latency;

/**
 * The few special functions the latency distributions and their fitting need: log-gamma, digamma,
 * trigamma, the regularized incomplete gamma function and the standard normal CDF. Written here
 * rather than pulled in from a maths library: they are short, and core keeps its dependencies few.
 */
public final class SpecialFunctions {
  private static final double[] LANCZOS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  };
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
  private static final double EPSILON = 1e-15;
  private static final int MAX_ITERATIONS = 10_000;

  private SpecialFunctions() {}

  /** {@code ln Γ(x)} for {@code x > 0} (Lanczos, g = 7; relative error about 1e-15). */
  public static double lnGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("lnGamma needs x > 0, got " + x);
    }
    if (x < 0.5) {
      // Reflection keeps the approximation in the range where it is accurate.
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** ψ(x) = d/dx ln Γ(x) for {@code x > 0}: recurrence up to x ≥ 10, then the asymptotic series. */
  public static double digamma(double x) {
    double result = 0;
    while (x < 10) {
      result -= 1 / x;
      x += 1;
    }
    double f = 1 / (x * x);
    return result + Math.log(x) - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  }

  /** ψ₁(x), the derivative of the digamma function, for {@code x > 0}. */
  public static double trigamma(double x) {
    double result = 0;
    while (x < 10) {
      result += 1 / (x * x);
      x += 1;
    }
    double f = 1 / (x * x);
    return result + 1 / x + f / 2
        + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
  }

  /** P(a, x), the regularized lower incomplete gamma function: the gamma(a, 1) CDF at x. */
  public static double regularizedGammaP(double a, double x) {
    if (!(a > 0)) {
      throw new IllegalArgumentException("regularizedGammaP needs a > 0, got " + a);
    }
    if (!(x > 0)) {
      return 0;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return 1;
    }
    double logPrefix = a * Math.log(x) - x - lnGamma(a);
    if (x < a + 1) {
      // Series: converges fast below the mode.
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n < MAX_ITERATIONS; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPSILON) {
          break;
        }
      }
      return Math.min(1, sum * Math.exp(logPrefix));
    }
    // Continued fraction for Q = 1 - P (modified Lentz), which converges fast above the mode.
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < MAX_ITERATIONS; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < tiny ? tiny : d;
      c = b + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return Math.max(0, 1 - Math.exp(logPrefix) * h);
  }

  /** Φ(z), the standard normal CDF, through erf(t) = P(1/2, t²). */
  public static double normalCdf(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    double half = 0.5 * regularizedGammaP(0.5, z * z / 2);
    return z >= 0 ? 0.5 + half : 0.5 - half;
  }

  /** Φ⁻¹(p), the standard normal quantile. */
  public static double normalQuantile(double p) {
    return NormalQuantile.of(p);
  }
}
