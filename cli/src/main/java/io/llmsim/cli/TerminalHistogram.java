package io.llmsim.cli;

import io.llmsim.core.latency.Distribution;
import io.llmsim.core.latency.fit.ProfilesFileWriter;
import io.llmsim.core.latency.fit.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A histogram drawn with Unicode block characters, one line per bin, bars in eighths of a cell.
 * The range runs from the 0.5th to the 99.5th percentile so that one outlier cannot squash every
 * bar into the first line; values beyond it are counted in the end bins.
 */
final class TerminalHistogram {
  static final int BINS = 12;
  static final int WIDTH = 40;
  private static final char[] EIGHTHS = {' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'};
  private static final double TAIL = 0.005;

  private TerminalHistogram() {}

  /** The histogram of recorded values. */
  static List<String> ofSamples(double[] values) {
    if (values.length == 0) {
      return List.of("    (no values)");
    }
    double[] sorted = Quantiles.sorted(values);
    double lo = Quantiles.of(sorted, TAIL);
    double hi = Quantiles.of(sorted, 1 - TAIL);
    if (!(hi > lo)) {
      return List.of("    all " + sorted.length + " values near " + ProfilesFileWriter.display(lo));
    }
    double[] mass = new double[BINS];
    double width = (hi - lo) / BINS;
    for (double v : sorted) {
      int bin = (int) Math.floor((v - lo) / width);
      mass[Math.max(0, Math.min(BINS - 1, bin))] += 1.0 / sorted.length;
    }
    return render(lo, hi, mass);
  }

  /** The histogram a distribution would give: each bin's probability. */
  static List<String> ofDistribution(Distribution d) {
    double lo = d.quantile(TAIL);
    double hi = d.quantile(1 - TAIL);
    if (!(hi > lo)) {
      return List.of("    always " + ProfilesFileWriter.display(lo));
    }
    double[] mass = new double[BINS];
    double width = (hi - lo) / BINS;
    for (int i = 0; i < BINS; i++) {
      double from = i == 0 ? 0 : d.cdf(lo + i * width);
      double to = i == BINS - 1 ? 1 : d.cdf(lo + (i + 1) * width);
      mass[i] = Math.max(0, to - from);
    }
    return render(lo, hi, mass);
  }

  private static List<String> render(double lo, double hi, double[] mass) {
    double max = 0;
    for (double m : mass) {
      max = Math.max(max, m);
    }
    double width = (hi - lo) / mass.length;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < mass.length; i++) {
      int eighths = (int) Math.round(mass[i] / max * WIDTH * 8);
      StringBuilder bar = new StringBuilder();
      for (int full = eighths / 8; full > 0; full--) {
        bar.append(EIGHTHS[8]);
      }
      if (eighths % 8 > 0) {
        bar.append(EIGHTHS[eighths % 8]);
      }
      lines.add(String.format(Locale.ROOT, "    %9s – %-9s │%-" + (WIDTH + 1) + "s %5.1f%%",
          ProfilesFileWriter.display(lo + i * width), ProfilesFileWriter.display(lo + (i + 1) * width),
          bar, mass[i] * 100));
    }
    return lines;
  }
}
