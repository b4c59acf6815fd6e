package io.llmsim.core.plan;

import java.util.Iterator;
import java.util.List;

/**
 * The frames of a plan, produced one at a time so a long stream never sits in memory whole. Offsets
 * never decrease. Called only from the thread that executes the plan.
 */
@FunctionalInterface
public interface FrameSource {
  /** The next frame, or null when the body is complete. */
  Frame next();

  static FrameSource of(List<Frame> frames) {
    Iterator<Frame> it = frames.iterator();
    return () -> it.hasNext() ? it.next() : null;
  }

  static FrameSource empty() {
    return () -> null;
  }
}
