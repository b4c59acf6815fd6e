package io.llmsim.store;

/**
 * An unchecked failure of the exchange store. The message names the store and the key involved,
 * never record contents, so it is safe to log.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure without an underlying cause. */
  public StoreException(String message) {
    super(message);
  }

  /** A failure wrapping the underlying cause (typically a RocksDBException or an IOException). */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
