package io.llmsim.core.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.RegularizedGamma;

/**
 * A distribution of non-negative values (milliseconds for latencies, counts for lengths). The config
 * form is a small JSON/YAML object with a {@code type}:
 *
 * <pre>
 * {type: lognormal, median: 600, p90: 1500}     # or {type: lognormal, mu: 6.4, sigma: 0.7}
 * {type: normal, mean: 20, stddev: 5}           # truncated at 0
 * {type: gamma, shape: 2.5, scale: 240}         # mean shape·scale
 * {type: constant, value: 20}
 * {type: empirical, quantiles: {0: 5, 0.5: 20, 0.9: 45, 1: 120}}  # piecewise-linear inverse CDF
 * </pre>
 */
public sealed interface Distribution
    permits Distribution.LogNormal, Distribution.Normal, Distribution.Gamma,
        Distribution.Constant, Distribution.Empirical {

  /** z-score of the 90th percentile of a standard normal. */
  double Z90 = 1.2815515655446004;

  double sample(RandomGenerator random);

  /** The value at quantile {@code p} in [0, 1]. */
  double quantile(double p);

  /** P(X ≤ x), the cumulative distribution function. */
  double cdf(double x);

  /** The config form of this distribution. */
  ObjectNode toJson();

  static Distribution constant(double value) {
    return new Constant(value);
  }

  static Distribution lognormal(double median, double p90) {
    return LogNormal.ofMedianP90(median, p90);
  }

  /** Lognormal: {@code exp(mu + sigma·Z)}. */
  record LogNormal(double mu, double sigma) implements Distribution {
    public LogNormal {
      requireFinite("mu", mu);
      if (!(sigma >= 0) || Double.isInfinite(sigma)) {
        throw new IllegalArgumentException("lognormal sigma must be >= 0, got " + sigma);
      }
    }

    static LogNormal ofMedianP90(double median, double p90) {
      if (!(median > 0)) {
        throw new IllegalArgumentException("lognormal median must be > 0, got " + median);
      }
      if (!(p90 >= median)) {
        throw new IllegalArgumentException(
            "lognormal p90 must be >= median (" + median + "), got " + p90);
      }
      return new LogNormal(Math.log(median), Math.log(p90 / median) / Z90);
    }

    @Override
    public double sample(RandomGenerator random) {
      return Math.exp(mu + sigma * random.nextGaussian());
    }

    @Override
    public double quantile(double p) {
      return Math.exp(mu + sigma * StandardNormal.quantile(p));
    }

    @Override
    public double cdf(double x) {
      if (!(x > 0)) {
        return 0;
      }
      if (sigma == 0) {
        return x >= Math.exp(mu) ? 1 : 0;
      }
      return StandardNormal.cdf((Math.log(x) - mu) / sigma);
    }

    @Override
    public ObjectNode toJson() {
      return node("lognormal").put("mu", mu).put("sigma", sigma);
    }
  }

  /** Normal, truncated at zero by rejection-free clamping. */
  record Normal(double mean, double stddev) implements Distribution {
    public Normal {
      requireFinite("mean", mean);
      if (!(stddev >= 0) || Double.isInfinite(stddev)) {
        throw new IllegalArgumentException("normal stddev must be >= 0, got " + stddev);
      }
    }

    @Override
    public double sample(RandomGenerator random) {
      return Math.max(0, mean + stddev * random.nextGaussian());
    }

    @Override
    public double quantile(double p) {
      return Math.max(0, mean + stddev * StandardNormal.quantile(p));
    }

    @Override
    public double cdf(double x) {
      if (x < 0) {
        return 0; // the clamp puts the whole negative tail at zero
      }
      if (stddev == 0) {
        return x >= mean ? 1 : 0;
      }
      return StandardNormal.cdf((x - mean) / stddev);
    }

    @Override
    public ObjectNode toJson() {
      return node("normal").put("mean", mean).put("stddev", stddev);
    }
  }

  /**
   * Gamma with {@code shape} k and {@code scale} θ: mean kθ, variance kθ². Sampled by
   * Marsaglia–Tsang, which needs one normal and one uniform draw per try and rarely retries.
   */
  record Gamma(double shape, double scale) implements Distribution {
    public Gamma {
      if (!(shape > 0) || Double.isInfinite(shape)) {
        throw new IllegalArgumentException("gamma shape must be > 0, got " + shape);
      }
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("gamma scale must be > 0, got " + scale);
      }
    }

    @Override
    public double sample(RandomGenerator random) {
      if (shape < 1) {
        // Boost: X(k) = X(k + 1) · U^(1/k), which keeps Marsaglia–Tsang's k ≥ 1 condition.
        double u = random.nextDouble();
        return standard(shape + 1, random) * Math.pow(u, 1 / shape) * scale;
      }
      return standard(shape, random) * scale;
    }

    private static double standard(double k, RandomGenerator random) {
      double d = k - 1.0 / 3;
      double c = 1 / Math.sqrt(9 * d);
      while (true) {
        double x = random.nextGaussian();
        double v = 1 + c * x;
        if (v <= 0) {
          continue;
        }
        v = v * v * v;
        double u = random.nextDouble();
        if (u < 1 - 0.0331 * x * x * x * x
            || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
          return d * v;
        }
      }
    }

    @Override
    public double cdf(double x) {
      return x > 0 ? RegularizedGamma.P.value(shape, x / scale) : 0;
    }

    /** Inverts the CDF by Newton steps kept inside a shrinking bracket. */
    @Override
    public double quantile(double p) {
      if (p <= 0) {
        return 0;
      }
      if (p >= 1) {
        return Double.POSITIVE_INFINITY;
      }
      double lo = 0;
      double hi = shape * scale;
      while (cdf(hi) < p) {
        lo = hi;
        hi *= 2;
      }
      // Wilson–Hilferty gives a start close enough for Newton to converge in a few steps.
      double z = StandardNormal.quantile(p);
      double wh = 1 - 1 / (9 * shape) + z / (3 * Math.sqrt(shape));
      double x = wh > 0 ? shape * scale * wh * wh * wh : (lo + hi) / 2;
      if (!(x > lo && x < hi)) {
        x = (lo + hi) / 2;
      }
      double logNorm = LogGamma.value(shape) + shape * Math.log(scale);
      for (int i = 0; i < 200; i++) {
        double f = cdf(x) - p;
        if (f > 0) {
          hi = x;
        } else {
          lo = x;
        }
        double density = Math.exp((shape - 1) * Math.log(x) - x / scale - logNorm);
        double next = density > 0 ? x - f / density : Double.NaN;
        if (!(next > lo && next < hi)) {
          next = (lo + hi) / 2;
        }
        if (Math.abs(next - x) <= 1e-12 * Math.max(1, x) || hi - lo <= 1e-12 * Math.max(1, x)) {
          return next;
        }
        x = next;
      }
      return x;
    }

    @Override
    public ObjectNode toJson() {
      return node("gamma").put("shape", shape).put("scale", scale);
    }
  }

  /** Always the same value. */
  record Constant(double value) implements Distribution {
    public Constant {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("constant value must be >= 0, got " + value);
      }
    }

    @Override
    public double sample(RandomGenerator random) {
      return value;
    }

    @Override
    public double quantile(double p) {
      return value;
    }

    @Override
    public double cdf(double x) {
      return x >= value ? 1 : 0;
    }

    @Override
    public ObjectNode toJson() {
      return node("constant").put("value", value);
    }
  }

  /**
   * Empirical quantiles, sampled by inverting the piecewise-linear CDF through the given points.
   * {@code probabilities} ascend from 0 to 1; {@code values} do not descend.
   */
  record Empirical(double[] probabilities, double[] values) implements Distribution {
    public Empirical {
      if (probabilities.length < 2 || probabilities.length != values.length) {
        throw new IllegalArgumentException(
            "empirical quantiles need at least two points, with one value per probability");
      }
      if (probabilities[0] != 0 || probabilities[probabilities.length - 1] != 1) {
        throw new IllegalArgumentException(
            "empirical quantiles must start at probability 0 and end at 1");
      }
      for (int i = 1; i < probabilities.length; i++) {
        if (!(probabilities[i] > probabilities[i - 1]) || values[i] < values[i - 1]) {
          throw new IllegalArgumentException(
              "empirical quantiles must ascend: probability " + probabilities[i]
                  + " -> value " + values[i]);
        }
      }
      if (values[0] < 0) {
        throw new IllegalArgumentException("empirical values must be >= 0, got " + values[0]);
      }
      probabilities = probabilities.clone();
      values = values.clone();
    }

    @Override
    public double sample(RandomGenerator random) {
      return quantile(random.nextDouble());
    }

    @Override
    public double quantile(double p) {
      for (int i = 1; i < probabilities.length; i++) {
        if (p <= probabilities[i]) {
          double span = probabilities[i] - probabilities[i - 1];
          double t = (p - probabilities[i - 1]) / span;
          return values[i - 1] + t * (values[i] - values[i - 1]);
        }
      }
      return values[values.length - 1];
    }

    @Override
    public double cdf(double x) {
      if (x < values[0]) {
        return 0;
      }
      if (x >= values[values.length - 1]) {
        return 1;
      }
      int i = 1;
      while (values[i] <= x) {
        i++;
      }
      // values[i-1] <= x < values[i]: interpolate along the segment, as quantile() does.
      double t = (x - values[i - 1]) / (values[i] - values[i - 1]);
      return probabilities[i - 1] + t * (probabilities[i] - probabilities[i - 1]);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode node = node("empirical");
      ObjectNode quantiles = node.putObject("quantiles");
      for (int i = 0; i < probabilities.length; i++) {
        quantiles.put(trim(probabilities[i]), values[i]);
      }
      return node;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Empirical e
          && java.util.Arrays.equals(probabilities, e.probabilities)
          && java.util.Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(probabilities) + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Empirical" + toJson().get("quantiles");
    }
  }

  /**
   * Reads the config form; {@code where} names the place in the config for error messages.
   *
   * @throws IllegalArgumentException naming the bad key or value
   */
  static Distribution fromJson(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object with a 'type'");
    }
    String type = node.path("type").asText("");
    switch (type) {
      case "lognormal" -> {
        if (node.has("mu") || node.has("sigma")) {
          checkKeys(node, where, Set.of("type", "mu", "sigma"));
          return new LogNormal(number(node, "mu", where), number(node, "sigma", where));
        }
        checkKeys(node, where, Set.of("type", "median", "p90"));
        return LogNormal.ofMedianP90(number(node, "median", where), number(node, "p90", where));
      }
      case "normal" -> {
        checkKeys(node, where, Set.of("type", "mean", "stddev"));
        return new Normal(number(node, "mean", where), number(node, "stddev", where));
      }
      case "gamma" -> {
        checkKeys(node, where, Set.of("type", "shape", "scale"));
        try {
          return new Gamma(number(node, "shape", where), number(node, "scale", where));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
      }
      case "constant" -> {
        checkKeys(node, where, Set.of("type", "value"));
        return new Constant(number(node, "value", where));
      }
      case "empirical" -> {
        checkKeys(node, where, Set.of("type", "quantiles"));
        JsonNode quantiles = node.get("quantiles");
        if (quantiles == null || !quantiles.isObject()) {
          throw new IllegalArgumentException(
              where + ".quantiles: expected an object of probability: value");
        }
        List<double[]> points = new ArrayList<>();
        for (Iterator<String> it = quantiles.fieldNames(); it.hasNext(); ) {
          String p = it.next();
          try {
            points.add(new double[] {Double.parseDouble(p), number(quantiles, p, where)});
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                where + ".quantiles: '" + p + "' is not a probability");
          }
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] ps = points.stream().mapToDouble(pt -> pt[0]).toArray();
        double[] vs = points.stream().mapToDouble(pt -> pt[1]).toArray();
        try {
          return new Empirical(ps, vs);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException(
          where + ".type: expected lognormal, normal, gamma, constant or empirical; got '"
              + type + "'");
    }
  }

  private static void checkKeys(JsonNode node, String where, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            where + ": unknown key '" + key + "'; expected " + String.join(", ",
                allowed.stream().sorted().toList()));
      }
    }
  }

  private static double number(JsonNode node, String key, String where) {
    JsonNode value = node.get(key);
    if (value == null || !value.isNumber()) {
      throw new IllegalArgumentException(where + "." + key + ": expected a number");
    }
    return value.doubleValue();
  }

  private static void requireFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, got " + value);
    }
  }

  private static ObjectNode node(String type) {
    return JsonNodeFactory.instance.objectNode().put("type", type);
  }

  private static String trim(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }
}
