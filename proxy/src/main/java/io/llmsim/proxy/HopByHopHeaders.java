package io.llmsim.proxy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that belong to one connection and never cross llmsim, forwarded or replayed (RFC 9110
 * §7.6.1), and the ones a {@code Connection} header names as such.
 */
public final class HopByHopHeaders {
  /** Lower-case names. */
  public static final Set<String> NAMES = Set.of("connection", "keep-alive", "proxy-connection",
      "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers",
      "transfer-encoding", "upgrade");

  private HopByHopHeaders() {}

  /** The lower-case names a {@code Connection} header value lists; empty for null. */
  public static Set<String> namedIn(String connection) {
    Set<String> names = new HashSet<>();
    if (connection != null) {
      for (String token : connection.split(",")) {
        names.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
