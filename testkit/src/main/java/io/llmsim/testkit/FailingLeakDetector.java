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

  /**
   * Where Netty's io_uring transport allocates the buffer of a read it schedules. A buffer created
   * there and never accessed was never handed to a handler, so llmsim's code cannot have leaked it:
   * Netty's io_uring stream channel (4.2.18, the newest with native jars here) now and then drops
   * the buffer of a read still in flight when a connection closes. Such a leak is printed, not
   * failed; any buffer that reached a handler (and so has access records) still fails the test.
   */
  static final String IO_URING_READ =
      "io.netty.channel.uring.AbstractIoUringStreamChannel$IoUringStreamUnsafe.scheduleRead0";

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    super.reportTracedLeak(resourceType, records);
    if (isUntouchedTransportReadBuffer(records)) {
      System.err.println("llmsim tests: ignored a leak inside Netty's io_uring transport (a read"
          + " buffer no handler ever saw)");
      return;
    }
    record("LEAK: " + resourceType + records);
  }

  /** Whether a leak's records show only its creation, by the io_uring transport's read. */
  static boolean isUntouchedTransportReadBuffer(String records) {
    int accesses = records.indexOf("Recent access records:");
    int created = records.indexOf("Created at:");
    return accesses >= 0 && created > accesses
        && records.substring(accesses + "Recent access records:".length(), created).isBlank()
        && records.indexOf(IO_URING_READ, created) > 0;
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
