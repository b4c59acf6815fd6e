package io.llmsim.proxy;

import io.llmsim.core.api.ApiKeys;
import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.fault.FaultRules;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.ratelimit.RateLimitDecision;
import io.llmsim.core.ratelimit.RateLimitHeaders;
import io.llmsim.core.ratelimit.RateLimiter;
import io.llmsim.core.ratelimit.SettlingFrames;
import io.llmsim.core.ratelimit.TokenEstimate;
import io.llmsim.proxy.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the config decides around every answer, whatever its mode: whether the header may ask for
 * its fault (else 400), the rate limiter (a 429 before any work, else the buckets' headers on the
 * answer and the reservation settled with the real output), the config's fault rules for requests
 * whose header asks for none, and the counting of every answer for {@code /metrics}.
 */
final class FaultsAndLimits {
  private final FaultRules rules;
  /** Null when the limiter is off. */
  private final RateLimiter limiter;
  private final ServerMetrics metrics;

  FaultsAndLimits(ChaosSettings settings, ServerMetrics metrics) {
    this.rules = settings.faultRules();
    this.limiter = settings.rateLimits().enabled() ? new RateLimiter(settings.rateLimits()) : null;
    this.metrics = metrics;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  /**
   * The answer to a routed request in {@code mode}; {@code answerer} builds it, given the request
   * with the fault it gets.
   */
  CompletableFuture<ResponsePlan> answer(Routed routed, Mode mode,
      Function<Routed, CompletableFuture<ResponsePlan>> answerer) {
    ApiError refused = rules.refusal(routed);
    if (refused != null) {
      return counted(routed, mode, CompletableFuture.completedFuture(
          routed.dialect().error(refused)));
    }
    RateLimiter.Ticket ticket = admit(routed);
    if (ticket != null && !ticket.decision().admitted()) {
      metrics.countRateLimited(routed.provider(), ticket.decision().exceeded());
      return counted(routed, mode, CompletableFuture.completedFuture(limited(routed, ticket)));
    }
    CompletableFuture<ResponsePlan> answer = answerer.apply(rules.apply(routed));
    if (ticket != null) {
      answer = answer.thenApply(plan -> withBuckets(plan, routed.provider(), ticket));
    }
    return counted(routed, mode, answer);
  }

  /** Counts the answer once it is known; at once when it already is (synthesis). */
  CompletableFuture<ResponsePlan> counted(Routed routed, Mode mode,
      CompletableFuture<ResponsePlan> answer) {
    if (answer.isDone() && !answer.isCompletedExceptionally()) {
      metrics.countAnswer(routed, mode, answer.join().status());
      return answer;
    }
    return answer.whenComplete((plan, failure) ->
        metrics.countAnswer(routed, mode, failure == null ? plan.status() : 500));
  }

  /** The limiter's ticket; null when the limiter is off or the request names no model. */
  private RateLimiter.Ticket admit(Routed routed) {
    if (limiter == null || routed.model() == null || !routed.request().method().equals("POST")) {
      return null;
    }
    TokenEstimate estimate = TokenEstimate.of(routed.request());
    return limiter.admit(ApiKeys.hashOf(routed.original()), routed.model(),
        estimate.inputTokens(), estimate.maxOutputTokens());
  }

  /** The provider's 429, with a retry delay equal to when the bucket will have room. */
  private static ResponsePlan limited(Routed routed, RateLimiter.Ticket ticket) {
    RateLimitDecision decision = ticket.decision();
    ResponsePlan error = routed.dialect().error(
        RateLimitHeaders.error(routed.provider(), routed.model(), decision));
    List<Map.Entry<String, String>> headers = new ArrayList<>(error.headers());
    headers.addAll(RateLimitHeaders.retryAfter(decision.retryAfterNanos()));
    ResponsePlan withRetry = new ResponsePlan(error.status(), headers, error.streaming(),
        error.headersOffsetNanos(), error.frames());
    return RateLimitHeaders.apply(withRetry, routed.provider(), decision.requests(),
        decision.tokens());
  }

  /**
   * A successful answer gets the buckets' headers and settles its reservation as its frames
   * report their usage; an error answer (the endpoint's, or a fault's, whose own headers must
   * keep agreeing with each other) used no output.
   */
  private static ResponsePlan withBuckets(ResponsePlan plan, String provider,
      RateLimiter.Ticket ticket) {
    if (plan.status() >= 400) {
      ticket.settleOutput(0);
      return plan;
    }
    RateLimitDecision.BucketState[] states = ticket.now();
    ResponsePlan headed = RateLimitHeaders.apply(plan, provider, states[0], states[1]);
    return new ResponsePlan(headed.status(), headed.headers(), headed.streaming(),
        headed.headersOffsetNanos(),
        new SettlingFrames(headed.frames(), ticket, headed.streaming()));
  }
}
