package io.llmsim.core.plan;

/**
 * A source that rewrites another one's frames (a fault, a speed change). It passes
 * {@link FrameSource#PENDING}, wake-ups and cancellation through to the source it reads, so a
 * rewrite works the same on recorded, synthesized and live frames. Subclasses implement
 * {@link #rewrite()}, reading the underlying frames with {@link #pull()}.
 */
public abstract class DerivedFrames implements FrameSource {
  private final FrameSource source;
  /** A PENDING met while rewriting: returned now, the rewrite resumes on the next call. */
  private boolean stalled;

  protected DerivedFrames(FrameSource source) {
    this.source = source;
  }

  @Override
  public final Frame next() {
    stalled = false;
    Frame frame = rewrite();
    return stalled ? PENDING : frame;
  }

  /**
   * The next rewritten frame or null. When {@link #pull()} answered null because the source is
   * pending, whatever this returns is replaced by {@link FrameSource#PENDING}, and the rewrite
   * must be ready to pick up where it was on the next call (keep state in fields).
   */
  protected abstract Frame rewrite();

  /**
   * The source's next frame; null at the end, and also (with {@link #isStalled()} true) when it is
   * pending, so a rewrite that checks for null stops in both cases.
   */
  protected final Frame pull() {
    Frame frame = source.next();
    if (frame == PENDING) {
      stalled = true;
      return null;
    }
    return frame;
  }

  /** True when the last {@link #pull()} stopped because the source is pending. */
  protected final boolean isStalled() {
    return stalled;
  }

  @Override
  public final void onReady(Runnable wake) {
    source.onReady(wake);
  }

  @Override
  public final void cancel() {
    source.cancel();
  }
}
