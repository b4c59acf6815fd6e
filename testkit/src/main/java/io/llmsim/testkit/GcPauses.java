package io.llmsim.testkit;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * How long this JVM has spent collecting garbage. A test that compares two clocks read by threads of
 * the same JVM (an upstream's send time against llmsim's arrival time) sees a collection pause as
 * lateness; with the paranoid leak detector the tests' young pauses reach tens of milliseconds, so
 * such a test widens its tolerance by the collection time that passed during it.
 */
public final class GcPauses {
  private GcPauses() {}

  /** Milliseconds spent in collections so far, over every collector. */
  public static long millis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }
}
