package io.llmsim.core.fault;

import io.llmsim.core.api.Routed;
import java.util.Objects;

/**
 * A fault the config file injects into the requests it matches. Every part of the match that is
 * given must hold; a rule with none matches every request.
 *
 * @param model glob on the model the request names; null for any
 * @param path glob on the request path (with or without the provider prefix), or, without a
 *     wildcard, a prefix of it; null for any
 * @param apiKeyHash SHA-256 (hex) of the API key the request must carry
 *     ({@link io.llmsim.core.api.ApiKeys#hash}); null for any. The key itself is never kept.
 * @param provider {@code openai}, {@code anthropic}, {@code gemini} or {@code azure}; null for any
 * @param fault the fault and its parameters, as the header would give them; its {@code rate} is
 *     drawn by {@link FaultRules}
 */
public record FaultRule(Glob model, Glob path, String apiKeyHash, String provider, Fault fault) {
  public FaultRule {
    Objects.requireNonNull(fault, "fault");
  }

  /** Whether the request is one this rule is about; {@code keyHash} is the request's key hash. */
  public boolean matches(Routed routed, String keyHash) {
    if (provider != null && !provider.equals(routed.provider())) {
      return false;
    }
    if (model != null && !model.matches(routed.model())) {
      return false;
    }
    if (path != null && !pathMatches(routed.original().path())
        && !pathMatches(routed.request().path())) {
      return false;
    }
    return apiKeyHash == null || apiKeyHash.equals(keyHash);
  }

  /** True when the rule looks at the API key: only then is the request's key hashed. */
  public boolean needsKey() {
    return apiKeyHash != null;
  }

  private boolean pathMatches(String requestPath) {
    return path.hasWildcard() ? path.matches(requestPath)
        : requestPath.startsWith(path.toString());
  }
}
