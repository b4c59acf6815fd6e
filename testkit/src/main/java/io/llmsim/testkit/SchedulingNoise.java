package io.llmsim.testkit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How much this host holds a test's threads back: the scheduling noise a timing test must allow
 * for. While each test runs, a daemon thread measures two things, a few times a millisecond:
 * <ul>
 *   <li>the <em>slowdown</em>: it sleeps 1 ms and then computes a little, and the slowdown is how
 *       much longer that took over the whole test than it takes on an idle core (about 1 there;
 *       about the run queue's length per core on a starved host, where a woken thread waits for
 *       a core and then shares it);
 *   <li>the worst <em>wake-up lateness</em> of one such sleep, where a collection pause shows.
 * </ul>
 *
 * <p>A timing test asserts "never early" exactly and "not much late" with {@link #slackMillis}: the
 * allowance the test needs on a quiet host, stretched by the slowdown (the work between an event
 * and its observation runs that much slower), plus the worst wake-up lateness for each thread the
 * event crosses. On a quiet host the slack stays near the floor, so a delay llmsim introduces
 * itself still fails the test; on a loaded host it grows with the load.
 *
 * <pre>{@code
 * @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();
 * ...
 * assertThat(lateMillis).as("%s", noise).isBetween(0L, noise.slackMillis(10));
 * }</pre>
 *
 * The system property {@value #FACTOR_PROPERTY} (default 1) multiplies every slack, for a host
 * worse than the measurement captures: {@code ./mvnw test -Dllmsim.timing.slack=3}.
 */
public final class SchedulingNoise implements BeforeEachCallback, AfterEachCallback {
  public static final String FACTOR_PROPERTY = "llmsim.timing.slack";
  /**
   * An event crosses up to three threads between being sent and being seen (an upstream, llmsim,
   * the test's client), and each can be held up by a stall as long as the worst one sampled.
   */
  private static final int HOPS = 3;
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** About 20 µs of arithmetic on a current core: a sample costs the host a few percent of one. */
  private static final int WORK = 20_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private volatile Thread sampler;
  private volatile long worstWakeNanos;
  private volatile long loopWallNanos;
  private volatile long workCpuNanos;
  private volatile long samples;
  /** Keeps the JIT from dropping the work. */
  private long sink;

  @Override
  public void beforeEach(ExtensionContext context) {
    Thread t = new Thread(this::sample, "scheduling-noise");
    t.setDaemon(true);
    sampler = t;
    t.start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    Thread t = sampler;
    sampler = null;
    if (t != null) {
      t.interrupt();
      t.join(1_000);
    }
  }

  private void sample() {
    Thread self = Thread.currentThread();
    while (sampler == self && !self.isInterrupted()) {
      long before = System.nanoTime();
      LockSupport.parkNanos(NAP_NANOS);
      long woke = System.nanoTime();
      worstWakeNanos = Math.max(worstWakeNanos, woke - before - NAP_NANOS);

      long cpu = THREADS.getCurrentThreadCpuTime();
      long x = sink;
      for (int i = 0; i < WORK; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
      // One writer: these plain read-modify-writes of volatiles are safe.
      workCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
      loopWallNanos += System.nanoTime() - before;
      samples++;
    }
  }

  /** How many times longer than on an idle core the sampler's rounds took so far (at least 1). */
  public double slowdown() {
    long ideal = samples * NAP_NANOS + workCpuNanos;
    return ideal <= 0 ? 1 : Math.max(1, (double) loopWallNanos / ideal);
  }

  /** The worst wake-up lateness seen so far in this test, in milliseconds. */
  public double worstWakeMillis() {
    return worstWakeNanos / 1e6;
  }

  /**
   * How late an event may be, in milliseconds: {@code quietMillis}, what the test allows on a quiet
   * host, times the slowdown, plus the worst wake-up lateness for each hop, all times the
   * {@value #FACTOR_PROPERTY} factor. Call it after the timed work.
   */
  public long slackMillis(long quietMillis) {
    return (long) Math.ceil(factor() * (quietMillis * slowdown() + HOPS * worstWakeMillis()));
  }

  private static double factor() {
    String value = System.getProperty(FACTOR_PROPERTY, "1");
    try {
      double factor = Double.parseDouble(value);
      if (factor >= 1) {
        return factor;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        FACTOR_PROPERTY + " must be a number of at least 1, not \"" + value + "\"");
  }

  /** For assertion messages: what the slack was derived from. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "host noise: slowdown %.1fx, worst wake-up %.1f ms over %d rounds; %s=%s", slowdown(),
        worstWakeMillis(), samples, FACTOR_PROPERTY, System.getProperty(FACTOR_PROPERTY, "1"));
  }
}
