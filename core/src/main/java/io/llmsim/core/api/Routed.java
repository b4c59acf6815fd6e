package io.llmsim.core.api;

import io.llmsim.core.synth.RequestOptions;

/**
 * A request matched to its route, with its options resolved: what every mode starts from.
 *
 * @param request the request as the route sees it (a provider prefix stripped, path variables
 *     captured)
 * @param original the request as it arrived
 */
public record Routed(ApiRequest request, ApiRequest original, Route route,
    RequestOptions options) {

  public Dialect dialect() {
    return route.dialect();
  }

  /** The provider whose wire format the route speaks: {@code openai}, {@code anthropic}, ... */
  public String provider() {
    return route.dialect().name();
  }

  /** The endpoint as method and path template: {@code POST /v1/chat/completions}. */
  public String endpoint() {
    return route.method() + " " + route.template();
  }

  public String model() {
    return request.model();
  }
}
