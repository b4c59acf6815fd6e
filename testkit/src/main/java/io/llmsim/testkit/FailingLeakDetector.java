package io.llmsim.testkit;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * A Netty leak detector that remembers every leak it reports, so {@link LeakCheckExtension} can fail
 * the test class that caused it. Installed with
 * {@code -Dio.netty.customResourceLeakDetector=io.llmsim.testkit.FailingLeakDetector} (the parent pom
 * sets it, with paranoid detection, for every test run).
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> LEAKS = new ArrayList<>();

  public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval);
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    super.reportTracedLeak(resourceType, records);
    record("LEAK: " + resourceType + records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    super.reportUntracedLeak(resourceType);
    record("LEAK: " + resourceType + " (no records)");
  }

  private static void record(String report) {
    synchronized (LEAKS) {
      LEAKS.add(report);
    }
  }

  /** Returns and forgets the leaks reported so far. */
  static List<String> drain() {
    synchronized (LEAKS) {
      List<String> copy = List.copyOf(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }

  @Override
  protected boolean needReport() {
    return true;
  }
}
