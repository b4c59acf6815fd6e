package io.llmsim.core.plan;

/** Another source's frames, each due a fixed time later ({@link ResponsePlan#delayedBy}). */
final class DelayedFrames extends DerivedFrames {
  private final long delayNanos;

  DelayedFrames(FrameSource source, long delayNanos) {
    super(source);
    this.delayNanos = delayNanos;
  }

  @Override
  protected Frame rewrite() {
    Frame frame = pull();
    if (frame == null) {
      return null;
    }
    long at = frame.offsetNanos() + delayNanos;
    return frame.isDisconnect() ? Frame.disconnect(at) : new Frame(at, frame.bytes());
  }
}
