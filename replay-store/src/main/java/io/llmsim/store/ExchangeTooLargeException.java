package io.llmsim.store;

/**
 * An exchange over {@link #MAX_BYTES}, the one size limit of an exchange wherever it enters
 * llmsim: recorded, imported, read from a fixture file, encoded into the store. One limit, so an
 * exchange that got in anywhere can be replayed, and one that cannot is refused where it arrives
 * rather than failing on replay. The message names what is too large and the limit, never its
 * content.
 */
public final class ExchangeTooLargeException extends IllegalArgumentException {
  /** The largest exchange: its encoded form in the store, or its fixture file (256 MiB). */
  public static final long MAX_BYTES = 256L * 1024 * 1024;

  private static final long serialVersionUID = 1L;

  /**
   * @param what what is too large, such as {@code exchange 0199a6e3} or a file's path
   * @param bytes its size, or a lower bound of it
   * @param limit the limit it is over
   */
  public ExchangeTooLargeException(String what, long bytes, long limit) {
    super(what + " is " + bytes + " bytes, over the limit of " + describe(limit)
        + " for one exchange");
  }

  /** {@code 256 MiB (268435456 bytes)}, or just the bytes when the limit is not whole MiB. */
  static String describe(long limit) {
    long mib = 1024L * 1024;
    return limit % mib == 0 ? limit / mib + " MiB (" + limit + " bytes)" : limit + " bytes";
  }
}
