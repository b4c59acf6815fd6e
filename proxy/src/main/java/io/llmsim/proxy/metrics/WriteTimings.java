package io.llmsim.proxy.metrics;

/**
 * Told, on the event loop, how an answer's writing kept to its plan: what the metrics record of
 * it. Both calls must be cheap; they run for every answer and every streamed frame.
 */
public interface WriteTimings {
  /** An answer's first byte (its status line) was written {@code nanos} after its arrival. */
  void firstByte(long nanos);

  /**
   * A streamed frame was written {@code nanos} after its planned time: the timer tick, a busy
   * event loop or a client that reads slowly made it late.
   */
  void frameLateness(long nanos);
}
