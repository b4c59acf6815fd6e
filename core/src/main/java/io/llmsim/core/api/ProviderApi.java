package io.llmsim.core.api;

import java.util.List;

/**
 * One provider's endpoints. Each provider lists its routes in its own class; the router composes
 * them, so adding a provider touches one line of the router.
 */
public interface ProviderApi {
  Dialect dialect();

  /**
   * The path prefix that selects this provider explicitly ({@code /anthropic}), so that
   * {@code /anthropic/v1/models} is Anthropic's whatever the headers say; null for none.
   */
  String prefix();

  /**
   * True when a request whose path matches no route looks like it was meant for this provider
   * (its SDK's headers), so the 404 comes in this provider's shape.
   */
  boolean claims(ApiRequest request);

  List<Route> routes();
}
