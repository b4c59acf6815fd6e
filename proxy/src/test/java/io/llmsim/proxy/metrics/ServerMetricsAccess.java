package io.llmsim.proxy.metrics;

/** Opens {@link ServerMetrics}' package-private helpers to tests in other packages. */
public final class ServerMetricsAccess {
  private ServerMetricsAccess() {}

  public static StringBuilder escape(StringBuilder out, String value) {
    return ServerMetrics.escape(out, value);
  }
}
