package io.llmsim.proxy.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A proxy the upstream connections go through (a corporate egress proxy): HTTP CONNECT or SOCKS5,
 * with hosts that bypass it ({@code NO_PROXY}).
 *
 * @param noProxy host names or domain suffixes ({@code .internal}, {@code example.com}) reached
 *     directly; {@code *} bypasses the proxy for all
 */
public record OutboundProxy(Type type, String host, int port, String username, String password,
    List<String> noProxy) {
  public enum Type { HTTP, SOCKS5 }

  public OutboundProxy {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(host, "host");
    noProxy = noProxy.stream().map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Parses {@code http://[user:pass@]host:port} or {@code socks5://host:port}; a URL without a
   * scheme is taken as HTTP, as curl does. A message about a bad URL never quotes its
   * credentials.
   */
  public static OutboundProxy parse(String url, List<String> noProxy) {
    String full = url.contains("://") ? url : "http://" + url;
    URI uri;
    try {
      uri = new URI(full);
    } catch (URISyntaxException e) {
      // Not chained: the cause's message quotes the whole input, credentials and all.
      throw new IllegalArgumentException("proxy URL is not a URL (" + e.getReason()
          + " at index " + e.getIndex() + "): " + UrlCredentials.masked(full));
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    Type type = switch (scheme) {
      case "http", "https" -> Type.HTTP;
      case "socks5", "socks5h", "socks" -> Type.SOCKS5;
      default -> throw new IllegalArgumentException(
          "proxy URL must be http:// or socks5://, got " + UrlCredentials.masked(full));
    };
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("proxy URL has no host: " + UrlCredentials.masked(full));
    }
    int port = uri.getPort() > 0 ? uri.getPort() : type == Type.HTTP ? 80 : 1080;
    String user = null;
    String pass = null;
    if (uri.getUserInfo() != null) {
      int colon = uri.getUserInfo().indexOf(':');
      user = colon < 0 ? uri.getUserInfo() : uri.getUserInfo().substring(0, colon);
      pass = colon < 0 ? "" : uri.getUserInfo().substring(colon + 1);
    }
    return new OutboundProxy(type, uri.getHost(), port, user, pass, noProxy);
  }

  /** True when {@code host} is reached through this proxy (not listed in {@code noProxy}). */
  public boolean appliesTo(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String entry : noProxy) {
      if (entry.equals("*")) {
        return false;
      }
      String suffix = entry.startsWith(".") ? entry : "." + entry;
      if (h.equals(entry.startsWith(".") ? entry.substring(1) : entry) || h.endsWith(suffix)) {
        return false;
      }
    }
    return true;
  }

  // The password never reaches a log through toString.
  @Override
  public String toString() {
    return type.name().toLowerCase(Locale.ROOT) + "://" + host + ":" + port
        + (username == null ? "" : " (with credentials)");
  }
}
