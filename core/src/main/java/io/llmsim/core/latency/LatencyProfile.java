package io.llmsim.core.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How a model behaves in time: the time to first token (plus a prefill term that grows with the
 * prompt), the gap between chunks, how many tokens a chunk carries, and how long answers are.
 * Latencies are in milliseconds.
 *
 * <p>The config form (YAML or JSON), shared by built-in and fitted profiles:
 *
 * <pre>
 * gpt-4o:
 *   ttft: {type: lognormal, median: 600, p90: 1500}
 *   prefill-ms-per-1k-tokens: 30
 *   itl: {type: lognormal, median: 12.5, p90: 25}
 *   output-tokens: {type: lognormal, median: 120, p90: 400}
 *   tokens-per-chunk: {type: constant, value: 1}
 *   fit: {...}          # optional metadata from 'llmsim profile fit'; ignored here
 * </pre>
 */
public record LatencyProfile(
    String name,
    Distribution ttft,
    double prefillMsPerKiloToken,
    Distribution itl,
    Distribution outputTokens,
    Distribution tokensPerChunk) {

  /** Answers are never longer than this, whatever the distribution draws. */
  public static final int MAX_OUTPUT_TOKENS = 16_384;

  /**
   * Key of the metadata {@code llmsim profile fit} writes (sample counts, fit quality, empirical
   * quantiles): accepted and ignored here, read only by {@code llmsim profile show}.
   */
  public static final String FIT_METADATA_KEY = "fit";

  private static final Set<String> KEYS = Set.of(
      "ttft", "prefill-ms-per-1k-tokens", "itl", "output-tokens", "tokens-per-chunk",
      FIT_METADATA_KEY);

  public LatencyProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ttft, "ttft");
    Objects.requireNonNull(itl, "itl");
    Objects.requireNonNull(outputTokens, "outputTokens");
    Objects.requireNonNull(tokensPerChunk, "tokensPerChunk");
    if (!(prefillMsPerKiloToken >= 0) || Double.isInfinite(prefillMsPerKiloToken)) {
      throw new IllegalArgumentException(
          "prefill-ms-per-1k-tokens must be >= 0, got " + prefillMsPerKiloToken);
    }
  }

  /** Time to first token in nanoseconds for a prompt of {@code promptTokens}. */
  public long drawTtftNanos(int promptTokens, RandomGenerator random) {
    double ms = ttft.sample(random) + prefillMsPerKiloToken * promptTokens / 1000.0;
    return millisToNanos(ms);
  }

  /** One inter-chunk gap in nanoseconds. */
  public long drawGapNanos(RandomGenerator random) {
    return millisToNanos(itl.sample(random));
  }

  /** An answer length in tokens, at least 1. */
  public int drawOutputTokens(RandomGenerator random) {
    double drawn = outputTokens.sample(random);
    return (int) Math.max(1, Math.min(MAX_OUTPUT_TOKENS, Math.round(drawn)));
  }

  /** How many tokens the next chunk carries, at least 1. */
  public int drawTokensPerChunk(RandomGenerator random) {
    return (int) Math.max(1, Math.min(1024, Math.round(tokensPerChunk.sample(random))));
  }

  /** Reads the config form; {@code name} is the profile's key in the config. */
  public static LatencyProfile fromJson(String name, JsonNode node) {
    String where = "profiles." + name;
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            where + ": unknown key '" + key + "'; expected "
                + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    if (!node.has("ttft") || !node.has("itl")) {
      throw new IllegalArgumentException(where + ": 'ttft' and 'itl' are required");
    }
    JsonNode prefill = node.get("prefill-ms-per-1k-tokens");
    if (prefill != null && !prefill.isNumber()) {
      throw new IllegalArgumentException(where + ".prefill-ms-per-1k-tokens: expected a number");
    }
    return new LatencyProfile(
        name,
        Distribution.fromJson(node.get("ttft"), where + ".ttft"),
        prefill == null ? 0 : prefill.doubleValue(),
        Distribution.fromJson(node.get("itl"), where + ".itl"),
        node.has("output-tokens")
            ? Distribution.fromJson(node.get("output-tokens"), where + ".output-tokens")
            : ProfileCatalog.DEFAULT_OUTPUT_TOKENS,
        node.has("tokens-per-chunk")
            ? Distribution.fromJson(node.get("tokens-per-chunk"), where + ".tokens-per-chunk")
            : Distribution.constant(1));
  }

  /** The config form. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("ttft", ttft.toJson());
    node.put("prefill-ms-per-1k-tokens", prefillMsPerKiloToken);
    node.set("itl", itl.toJson());
    node.set("output-tokens", outputTokens.toJson());
    node.set("tokens-per-chunk", tokensPerChunk.toJson());
    return node;
  }

  private static long millisToNanos(double ms) {
    return Math.max(0, Math.round(ms * 1_000_000.0));
  }
}
