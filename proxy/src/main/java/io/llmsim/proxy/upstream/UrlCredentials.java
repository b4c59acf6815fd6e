package io.llmsim.proxy.upstream;

/**
 * Keeps the credentials a URL may carry ({@code http://user:password@host}) out of what llmsim
 * prints, logs or answers: every message that quotes a URL given by the user quotes it masked.
 */
public final class UrlCredentials {
  /** What stands in for the user information. */
  public static final String MASK = "***";

  private UrlCredentials() {}

  /**
   * {@code url} with everything between {@code ://} and the last {@code @} replaced by
   * {@link #MASK}. Deliberately blunt: a URL too broken to parse (a space in the password, a
   * {@code /} in it) is masked too, and a path that merely contains {@code @} loses a little
   * more than needed, which only costs a message some detail.
   */
  public static String masked(String url) {
    if (url == null) {
      return null;
    }
    int start = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (start < 0 || at < start) {
      return url;
    }
    return url.substring(0, start + 3) + MASK + url.substring(at);
  }
}
