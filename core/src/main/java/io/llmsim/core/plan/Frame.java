package io.llmsim.core.plan;

/**
 * Bytes due at a moment: {@code offsetNanos} after the request arrived. A streaming plan writes each
 * frame as one chunk, flushed on its own.
 *
 * <p>A frame made by {@link #disconnect(long)} carries no bytes: it tells the writer to close the
 * connection abruptly at its offset (no terminating chunk, and no headers when nothing was sent
 * yet). Fault injection uses it to simulate a dropped connection.
 */
public record Frame(long offsetNanos, byte[] bytes) {
  /** The marker's body; recognised by identity, so no real frame (even an empty one) matches. */
  private static final byte[] CUT = new byte[0];

  /** A marker: close the connection at {@code offsetNanos} without finishing the answer. */
  public static Frame disconnect(long offsetNanos) {
    return new Frame(offsetNanos, CUT);
  }

  /** True for a {@link #disconnect(long)} marker. */
  public boolean isDisconnect() {
    return bytes == CUT;
  }
}
