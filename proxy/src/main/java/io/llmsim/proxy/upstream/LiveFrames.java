package io.llmsim.proxy.upstream;

import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import java.util.ArrayDeque;

/**
 * The frames of a forwarded answer as they arrive from the upstream: a short queue between the
 * upstream connection and the plan writer, both on one event loop (no locks). The upstream is read
 * only while the queue is short; the writer stops taking frames while its client cannot keep up,
 * so a slow client slows the upstream down instead of filling memory.
 */
final class LiveFrames implements FrameSource {
  /** Upstream reading pauses at this many queued frames and resumes below half of it. */
  static final int HIGH_WATER = 64;

  private final ArrayDeque<Frame> queue = new ArrayDeque<>();
  private final Runnable demand;
  private final Runnable onCancel;
  private Runnable waker;
  private boolean ended;

  /**
   * @param demand asks the upstream for more bytes
   * @param onCancel stops the upstream (the client went away)
   */
  LiveFrames(Runnable demand, Runnable onCancel) {
    this.demand = demand;
    this.onCancel = onCancel;
  }

  @Override
  public Frame next() {
    Frame frame = queue.poll();
    if (frame != null) {
      if (!ended && queue.size() == HIGH_WATER / 2) {
        demand.run();
      }
      return frame;
    }
    if (ended) {
      return null;
    }
    demand.run();
    return PENDING;
  }

  @Override
  public void onReady(Runnable wake) {
    waker = wake;
  }

  @Override
  public void cancel() {
    if (!ended) {
      ended = true;
      queue.clear();
      onCancel.run();
    }
  }

  /** True while the queue has room: the upstream may be read. */
  boolean wantsMore() {
    return !ended && queue.size() < HIGH_WATER;
  }

  void add(Frame frame) {
    if (!ended) {
      queue.add(frame);
      wake();
    }
  }

  /** The upstream finished the body. */
  void end() {
    if (!ended) {
      ended = true;
      wake();
    }
  }

  /** The upstream cut the body: the client's connection is cut at the same point. */
  void cut(long offsetNanos) {
    if (!ended) {
      queue.add(Frame.disconnect(offsetNanos));
      ended = true;
      wake();
    }
  }

  private void wake() {
    Runnable wake = waker;
    waker = null;
    if (wake != null) {
      wake.run();
    }
  }
}
