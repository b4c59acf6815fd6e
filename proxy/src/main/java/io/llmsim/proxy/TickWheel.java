package io.llmsim.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wakes what waits on one event loop's timer tick: everything due at the same tick shares one
 * task in the loop's timer queue, so the queue holds one entry per tick that has work rather than
 * one per stream. That queue is a heap ordered by deadline, and at 1,000 streams keeping it in
 * order (an insert and a removal per token, each a walk through cache-cold tasks) took a third
 * of the streaming server's CPU. A wake-up further ahead than the wheel reaches (a few seconds)
 * goes to the loop's timer queue as before.
 *
 * <p>A sleeper is told the tick it was woken for and must ignore a tick it no longer waits for:
 * a sleeper that stopped waiting (its client went away) stays in its slot until that tick comes.
 * Not thread-safe: every method runs on the loop.
 */
final class TickWheel {
  /** What waits for a tick. */
  interface Sleeper {
    /** The tick {@code tick} (its time on the loop's ticker divided by the tick) has come. */
    void wake(long tick);
  }

  /** Slots, a power of two: at a 1 ms tick the wheel reaches about two seconds ahead. */
  private static final int SLOTS = 2048;
  private static final long NONE = Long.MIN_VALUE;

  private final EventExecutor loop;
  private final long tickNanos;
  private final Slot[] slots = new Slot[SLOTS];

  /** The sleepers of one tick and its task; reused for every tick that maps to the slot. */
  private final class Slot implements Runnable {
    long tick = NONE;
    List<Sleeper> sleepers = new ArrayList<>();
    /** The previous tick's list, kept to be reused. */
    List<Sleeper> spare = new ArrayList<>();

    @Override
    public void run() {
      long due = tick;
      List<Sleeper> woken = sleepers;
      // Free before waking: a sleeper may at once wait for a later tick in this very slot.
      tick = NONE;
      sleepers = spare;
      spare = woken;
      try {
        for (Sleeper sleeper : woken) {
          sleeper.wake(due);
        }
      } finally {
        woken.clear();
      }
    }
  }

  TickWheel(EventExecutor loop, long tickNanos) {
    if (tickNanos <= 0) {
      throw new IllegalArgumentException("the tick must be positive, not " + tickNanos);
    }
    this.loop = loop;
    this.tickNanos = tickNanos;
  }

  long tickNanos() {
    return tickNanos;
  }

  /** The first tick at or after {@code deadlineNanos} on the loop's ticker. */
  long tickAtOrAfter(long deadlineNanos) {
    return Math.floorDiv(deadlineNanos + tickNanos - 1, tickNanos);
  }

  /**
   * Wakes {@code sleeper} at {@code tick} (not before it comes); false when the tick is further
   * ahead than the wheel reaches (or its slot still holds an older tick), and the caller must
   * schedule the wake-up itself.
   */
  boolean sleepUntil(long tick, Sleeper sleeper) {
    long now = loop.ticker().nanoTime();
    if (tick - now / tickNanos >= SLOTS - 1) {
      return false;
    }
    int index = (int) (tick & (SLOTS - 1));
    Slot slot = slots[index];
    if (slot == null) {
      slot = slots[index] = new Slot(); // made when first used: a wheel costs little until busy
    }
    if (slot.tick == NONE) {
      slot.tick = tick;
      loop.schedule(slot, Math.max(0, tick * tickNanos - now), TimeUnit.NANOSECONDS);
    } else if (slot.tick != tick) {
      return false; // a tick a whole turn earlier whose task is late: leave it be
    }
    slot.sleepers.add(sleeper);
    return true;
  }

  /** Ticks that have sleepers and a task in the loop's timer queue (for tests). */
  int pendingTicks() {
    int pending = 0;
    for (Slot slot : slots) {
      if (slot != null && slot.tick != NONE) {
        pending++;
      }
    }
    return pending;
  }
}
