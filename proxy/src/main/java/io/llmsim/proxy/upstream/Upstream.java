package io.llmsim.proxy.upstream;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one provider's requests are forwarded: a base URL (scheme, host, port and an optional
 * path prefix put before the request's path) and its timeouts.
 */
public record Upstream(String provider, URI baseUri, UpstreamTimeouts timeouts) {

  public Upstream {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(timeouts, "timeouts");
    String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "upstream " + provider + ": URL must start with http:// or https://, got " + baseUri);
    }
    if (baseUri.getHost() == null) {
      throw new IllegalArgumentException("upstream " + provider + ": URL has no host: " + baseUri);
    }
    if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "upstream " + provider + ": URL must not have a query or fragment: " + baseUri);
    }
  }

  public static Upstream of(String provider, String url) {
    return new Upstream(provider, URI.create(url), UpstreamTimeouts.DEFAULTS);
  }

  public boolean tls() {
    return baseUri.getScheme().equalsIgnoreCase("https");
  }

  public String host() {
    return baseUri.getHost();
  }

  public int port() {
    return baseUri.getPort() > 0 ? baseUri.getPort() : tls() ? 443 : 80;
  }

  /** The {@code Host} header: the port only when it is not the scheme's default. */
  public String hostHeader() {
    return baseUri.getPort() > 0 ? host() + ":" + baseUri.getPort() : host();
  }

  /** The base URL's path without a trailing slash; empty for none. */
  public String pathPrefix() {
    String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  public Upstream withTimeouts(UpstreamTimeouts newTimeouts) {
    return new Upstream(provider, baseUri, newTimeouts);
  }
}
