package io.llmsim.proxy.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one provider's requests are forwarded: a base URL (scheme, host, port and an optional
 * path prefix put before the request's path) and its timeouts.
 *
 * <p>The URL never carries credentials ({@code http://user:password@host}): llmsim would not send
 * them (the provider's key travels in its own header, from the client or {@code --inject-keys}),
 * and a URL is printed in the start-up line and in error answers. So one is refused, with the
 * credentials masked in the message, and every printed {@link #baseUri} is free of them.
 */
public record Upstream(String provider, URI baseUri, UpstreamTimeouts timeouts) {

  public Upstream {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(timeouts, "timeouts");
    String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
    String shown = UrlCredentials.masked(baseUri.toString());
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "upstream " + provider + ": URL must start with http:// or https://, got " + shown);
    }
    if (baseUri.getRawUserInfo() != null
        || (baseUri.getRawAuthority() != null && baseUri.getRawAuthority().contains("@"))) {
      throw new IllegalArgumentException("upstream " + provider + ": URL must not carry "
          + "credentials, got " + shown + "; llmsim does not send them: the client's own "
          + "credential headers are forwarded, or --inject-keys sends the provider's key");
    }
    if (baseUri.getHost() == null) {
      throw new IllegalArgumentException("upstream " + provider + ": URL has no host: " + shown);
    }
    if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "upstream " + provider + ": URL must not have a query or fragment: " + shown);
    }
  }

  /** Parses {@code url}; a message about a bad one never quotes its credentials. */
  public static Upstream of(String provider, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      // Not chained: the cause's message quotes the whole input, credentials and all.
      throw new IllegalArgumentException("upstream " + provider + ": not a URL (" + e.getReason()
          + " at index " + e.getIndex() + "): " + UrlCredentials.masked(url));
    }
    return new Upstream(provider, uri, UpstreamTimeouts.DEFAULTS);
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
