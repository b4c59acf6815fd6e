package io.llmsim.core.plan;

import java.util.Iterator;
import java.util.List;

/**
 * The frames of a plan, produced one at a time so a long stream never sits in memory whole. Offsets
 * never decrease. Called only from the thread that executes the plan.
 *
 * <p>A <em>live</em> source (frames forwarded from an upstream as they arrive) may answer
 * {@link #PENDING}: nothing yet, but more to come. The writer then registers a wake-up with
 * {@link #onReady} and calls {@link #next()} again when it runs. Sources built from known frames
 * never answer it.
 */
public interface FrameSource {
  /** Not a frame: "nothing yet", from a live source. Recognised by identity. */
  Frame PENDING = new Frame(0, new byte[0]);

  /** The next frame, {@link #PENDING}, or null when the body is complete. */
  Frame next();

  /**
   * Asks a live source to run {@code wake} (on the plan's thread) once {@link #next()} has
   * something other than {@link #PENDING}. Sources that never answer it ignore this.
   */
  default void onReady(Runnable wake) {}

  /** The plan is abandoned (the client went away): a live source stops its upstream. */
  default void cancel() {}

  static FrameSource of(List<Frame> frames) {
    Iterator<Frame> it = frames.iterator();
    return () -> it.hasNext() ? it.next() : null;
  }

  static FrameSource empty() {
    return () -> null;
  }
}
