package io.llmsim.proxy.upstream;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where forwarded requests go and how. Only the configured upstreams are ever contacted: a
 * request's {@code Host} header or absolute URI never chooses the destination.
 *
 * @param upstreams by provider ({@code openai}, {@code anthropic}, {@code gemini}, {@code azure})
 * @param proxy the outbound proxy, or null to connect directly
 * @param injectKeys when true, each provider's key from {@code keys} replaces the client's
 *     credentials, so clients can carry a placeholder
 * @param keys provider to API key (read from the environment; never logged or stored)
 * @param trustedCertificates a PEM file of extra CA certificates to trust (a TLS-intercepting
 *     corporate proxy, a test upstream), or null for the JDK's trust store only
 */
public record UpstreamSettings(Map<String, Upstream> upstreams, OutboundProxy proxy,
    boolean injectKeys, Map<String, String> keys, Path trustedCertificates) {

  /** The real providers' public endpoints. Azure has none: its URL names the customer's resource. */
  public static final Map<String, String> PROVIDER_DEFAULTS = Map.of(
      "openai", "https://api.openai.com",
      "anthropic", "https://api.anthropic.com",
      "gemini", "https://generativelanguage.googleapis.com");

  /** Environment variables holding each provider's key, in order of preference. */
  public static final Map<String, List<String>> KEY_VARIABLES = Map.of(
      "openai", List.of("OPENAI_API_KEY"),
      "anthropic", List.of("ANTHROPIC_API_KEY"),
      "gemini", List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"),
      "azure", List.of("AZURE_OPENAI_API_KEY"));

  public static final UpstreamSettings NONE =
      new UpstreamSettings(Map.of(), null, false, Map.of(), null);

  public UpstreamSettings {
    upstreams = Map.copyOf(upstreams);
    keys = Map.copyOf(keys);
  }

  /** Every provider's default upstream, with {@code overrides} (provider to URL) on top. */
  public static Map<String, Upstream> withDefaults(Map<String, String> overrides) {
    Map<String, Upstream> all = new LinkedHashMap<>();
    PROVIDER_DEFAULTS.forEach((provider, url) -> all.put(provider, Upstream.of(provider, url)));
    overrides.forEach((provider, url) -> all.put(provider, Upstream.of(provider, url)));
    return all;
  }

  /** The keys found in {@code env} for every provider. */
  public static Map<String, String> keysFrom(Map<String, String> env) {
    Map<String, String> keys = new LinkedHashMap<>();
    KEY_VARIABLES.forEach((provider, names) -> names.stream()
        .map(env::get).filter(v -> v != null && !v.isBlank()).findFirst()
        .ifPresent(v -> keys.put(provider, v.trim())));
    return keys;
  }

  public Upstream upstream(String provider) {
    return upstreams.get(provider);
  }

  public boolean isEmpty() {
    return upstreams.isEmpty();
  }

  // Keys never reach a log through toString.
  @Override
  public String toString() {
    return "UpstreamSettings[upstreams=" + upstreams.keySet() + ", proxy=" + proxy
        + ", injectKeys=" + injectKeys + ", keys for " + keys.keySet() + "]";
  }
}
