package io.llmsim.core.latency.fit;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.latency.LatencyProfile;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes fitted profiles as a profiles file ({@code serve --profiles FILE}): YAML a person can read
 * and edit, each profile preceded by a comment summing up its fit, and followed by a {@code fit:}
 * block of metadata that {@link LatencyProfile#fromJson} ignores and {@code llmsim profile show}
 * reads. Numbers are written in their shortest exact decimal form, so the file loads back to
 * exactly the fitted profile.
 */
public final class ProfilesFileWriter {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");
  private static final String[] QUANTILE_NAMES = {"p50", "p90", "p99"};

  private ProfilesFileWriter() {}

  /**
   * @param header comment lines for the top of the file (without {@code #})
   * @param fits the fitted profiles, in the order to write them
   * @param models model (used as an exact glob) → profile name, written as {@code models:}; may
   *     be empty
   */
  public static String write(
      List<String> header, List<ProfileFit> fits, Map<String, String> models) {
    StringBuilder out = new StringBuilder();
    for (String line : header) {
      out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    out.append("#\n")
        .append("# Times in ms. Each profile's 'fit' block is metadata for 'llmsim profile show';\n")
        .append("# serve ignores it. KS is the Kolmogorov-Smirnov distance between the recorded\n")
        .append("# values and the written distribution: 0 is a perfect match, under 0.05 is good.\n")
        .append("# Flags: few-samples (under ").append(DistributionFitter.FEW_SAMPLES)
        .append(" values), poor-fit (no family fits; the empirical\n")
        .append("# quantiles are written instead).\n")
        .append("profiles:\n");
    for (ProfileFit fit : fits) {
      writeProfile(out, fit);
    }
    if (!models.isEmpty()) {
      out.append("\nmodels:\n");
      for (Map.Entry<String, String> e : models.entrySet()) {
        out.append("  ").append(key(e.getKey())).append(": ").append(key(e.getValue()))
            .append('\n');
      }
    }
    return out.toString();
  }

  private static void writeProfile(StringBuilder out, ProfileFit fit) {
    LatencyProfile p = fit.profile();
    out.append('\n');
    out.append("  # ").append(p.name()).append(": ").append(fit.exchanges()).append(" exchanges, ")
        .append(fit.itl().samples()).append(" gaps, ").append(fit.tokensPerChunk().samples())
        .append(" output events\n");
    summary(out, "ttft", fit.ttft());
    out.append("  #   prefill ").append(display(p.prefillMsPerKiloToken()))
        .append(" ms per 1k prompt tokens (Theil-Sen over ").append(fit.prefill().pairs())
        .append(" pairs)\n");
    summary(out, "itl", fit.itl());
    summary(out, "tokens-per-chunk", fit.tokensPerChunk());
    summary(out, "output-tokens", fit.outputTokens());
    out.append("  ").append(key(p.name())).append(":\n");
    out.append("    ttft: ").append(flow(p.ttft().toJson())).append('\n');
    out.append("    prefill-ms-per-1k-tokens: ").append(number(p.prefillMsPerKiloToken()))
        .append('\n');
    out.append("    itl: ").append(flow(p.itl().toJson())).append('\n');
    out.append("    output-tokens: ").append(flow(p.outputTokens().toJson())).append('\n');
    out.append("    tokens-per-chunk: ").append(flow(p.tokensPerChunk().toJson())).append('\n');
    out.append("    ").append(LatencyProfile.FIT_METADATA_KEY).append(":\n");
    out.append("      exchanges: ").append(fit.exchanges()).append('\n');
    out.append("      output-tokens-per-second: ").append(quantiles(fit.outputTokensPerSecond()))
        .append('\n');
    out.append("      prefill: {slope: ").append(number(Quantiles.round(fit.prefill().slope())))
        .append(", intercept: ").append(number(Quantiles.round(fit.prefill().intercept())))
        .append(", pairs: ").append(fit.prefill().pairs()).append("}\n");
    metadata(out, "ttft", fit.ttft());
    metadata(out, "itl", fit.itl());
    metadata(out, "tokens-per-chunk", fit.tokensPerChunk());
    metadata(out, "output-tokens", fit.outputTokens());
  }

  private static void summary(StringBuilder out, String name, DistributionFit fit) {
    double[] observed = fit.observed();
    double[] fitted = fit.fitted();
    out.append(String.format(Locale.ROOT,
        "  #   %-16s %-9s KS %.3f  p50/p90/p99 observed %s, fitted %s",
        name, fit.chosen().family(), fit.chosen().ks(), triple(observed), triple(fitted)));
    flags(out, fit.flags(), "  [", "]");
    out.append('\n');
  }

  private static void metadata(StringBuilder out, String name, DistributionFit fit) {
    out.append("      ").append(name).append(":\n");
    out.append("        samples: ").append(fit.samples()).append('\n');
    out.append("        chosen: ").append(fit.chosen().family()).append('\n');
    out.append("        ks: ").append(number(Quantiles.round(fit.chosen().ks()))).append('\n');
    out.append("        observed: ").append(quantiles(fit.observed())).append('\n');
    out.append("        fitted: ").append(quantiles(fit.fitted())).append('\n');
    if (!fit.candidates().isEmpty()) {
      out.append("        candidates:\n");
      for (Candidate c : fit.candidates()) {
        out.append("          ").append(c.family()).append(": {aic: ")
            .append(number(Quantiles.round(c.aic()))).append(", ks: ")
            .append(number(Quantiles.round(c.ks()))).append(", distribution: ")
            .append(flow(c.distribution().toJson())).append("}\n");
      }
    }
    if (fit.empirical() != null) {
      out.append("        empirical: ").append(flow(fit.empirical().toJson().get("quantiles")))
          .append('\n');
    }
    out.append("        flags: [");
    flags(out, fit.flags(), "", "");
    out.append("]\n");
  }

  private static void flags(StringBuilder out, Set<FitFlag> flags, String open, String close) {
    if (flags.isEmpty()) {
      return;
    }
    out.append(open);
    boolean first = true;
    for (FitFlag f : FitFlag.values()) {
      if (flags.contains(f)) {
        out.append(first ? "" : ", ").append(f.label());
        first = false;
      }
    }
    out.append(close);
  }

  private static String quantiles(double[] q) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < q.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(QUANTILE_NAMES[i]).append(": ")
          .append(Double.isFinite(q[i]) ? number(Quantiles.round(q[i])) : "null");
    }
    return sb.append('}').toString();
  }

  private static String triple(double[] q) {
    return display(q[0]) + "/" + display(q[1]) + "/" + display(q[2]);
  }

  /** A distribution (or any JSON object) in YAML flow style: {type: lognormal, mu: 6.4, ...}. */
  static String flow(JsonNode node) {
    if (node.isObject()) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sb.append(first ? "" : ", ").append(key(e.getKey())).append(": ")
            .append(flow(e.getValue()));
        first = false;
      }
      return sb.append('}').toString();
    }
    if (node.isNumber()) {
      return number(node.doubleValue());
    }
    return key(node.asText());
  }

  /** The shortest decimal that reads back as exactly {@code x}, never in exponent form. */
  public static String number(double x) {
    if (!Double.isFinite(x)) {
      return "null";
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return Long.toString((long) x);
    }
    return new BigDecimal(Double.toString(x)).toPlainString();
  }

  /** A human-sized rendering for comments and tables: 3–4 significant digits. */
  public static String display(double x) {
    if (!Double.isFinite(x)) {
      return "-";
    }
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, f, x);
  }

  /** A YAML key or scalar, quoted unless it is plainly safe. */
  static String key(String s) {
    if (PLAIN_KEY.matcher(s).matches() && !isYamlWord(s)) {
      return s;
    }
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  // Words YAML 1.1 would read as booleans or null rather than as the name.
  private static boolean isYamlWord(String s) {
    return Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~")
        .contains(s.toLowerCase(Locale.ROOT));
  }
}
