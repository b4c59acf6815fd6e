package io.llmsim.core.latency.fit;

/** Why a fitted distribution deserves a second look. */
public enum FitFlag {
  /** Fewer samples than {@link DistributionFitter#FEW_SAMPLES}: parameters are rough. */
  FEW_SAMPLES("few-samples"),
  /**
   * The best parametric family is far from the data: its Kolmogorov–Smirnov distance exceeds both
   * 0.05 and the 1% critical value. The empirical quantiles are written instead when there are
   * enough samples.
   */
  POOR_FIT("poor-fit");

  private final String label;

  FitFlag(String label) {
    this.label = label;
  }

  /** The name used in profiles files and tables. */
  public String label() {
    return label;
  }
}
