package io.llmsim.core.api;

import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;

/**
 * Answers one kind of request. May throw {@link io.llmsim.core.error.ApiException} (rendered in the
 * route's dialect) or {@link InvalidJsonException}. Thread-safe, no I/O: runs on an event loop.
 */
@FunctionalInterface
public interface Endpoint {
  ResponsePlan handle(ApiRequest request, RequestOptions options);
}
