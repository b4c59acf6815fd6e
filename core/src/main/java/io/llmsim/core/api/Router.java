package io.llmsim.core.api;

import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.fault.FaultCounter;
import io.llmsim.core.fault.FaultInjector;
import io.llmsim.core.generate.BudgetExceededException;
import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Maps a request to the plan that answers it, across every provider the server fronts. Never throws:
 * every failure becomes an error plan in the shape of the provider the request was meant for.
 *
 * <p>Resolution: a route whose template matches the whole path (guards decide between providers
 * sharing a path); else, when the path starts with a provider's prefix ({@code /anthropic/...}),
 * that provider's routes under the rest of the path. A matching path with the wrong method is a
 * 405; no match is a 404 in the shape of the provider whose headers the request carries.
 */
public final class Router {
  private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

  private final List<ProviderApi> providers;
  private final List<Route> routes = new ArrayList<>();
  private final Dialect fallback;
  private final BiConsumer<ApiRequest, RuntimeException> onFailure;
  private final FaultInjector faults = new FaultInjector(new FaultCounter());

  /**
   * @param providers in order of precedence: a guarded route of an earlier provider wins
   * @param onFailure told about unexpected exceptions (to log them); the client gets a 500
   */
  public Router(List<ProviderApi> providers, BiConsumer<ApiRequest, RuntimeException> onFailure) {
    this.providers = List.copyOf(providers);
    this.fallback = providers.get(providers.size() - 1).dialect();
    this.onFailure = onFailure;
    for (ProviderApi provider : providers) {
      routes.addAll(provider.routes());
    }
  }

  /**
   * Synthesizes the answer to a request, whatever mode its header names: for servers (and tests)
   * that only synthesize. {@link #resolve} and {@link #synthesize} are its two halves.
   */
  public ResponsePlan route(ApiRequest request) {
    Resolution resolution = resolve(request);
    return resolution.answer() != null ? resolution.answer() : synthesize(resolution.routed());
  }

  /**
   * What a request is: a route with its options, or (for health checks and every request that
   * is wrong before any mode is involved) the answer itself.
   */
  public record Resolution(Routed routed, ResponsePlan answer) {}

  /** Matches the request to a route and reads its {@code x-simulation-mode} header. */
  public Resolution resolve(ApiRequest request) {
    if (request.path().equals("/health")) {
      if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
        Dialect dialect = claimant(request);
        return answer(dialect.error(dialect.wrongMethod(request)));
      }
      return new Resolution(null, ResponsePlan.of(200,
          List.of(Map.entry("content-type", "application/json")), HEALTHY, 0));
    }
    Match match = find(request, routes);
    if (match == null) {
      for (ProviderApi provider : providers) {
        String prefix = provider.prefix();
        if (prefix != null && request.path().startsWith(prefix + "/")) {
          match = find(request.withPath(request.path().substring(prefix.length())),
              provider.routes());
          if (match == null) {
            return answer(provider.dialect().error(provider.dialect().unknownPath(request)));
          }
          break;
        }
      }
    }
    if (match == null) {
      Dialect dialect = claimant(request);
      return answer(dialect.error(dialect.unknownPath(request)));
    }
    Dialect dialect = match.route.dialect();
    if (!match.route.method().equals(request.method())) {
      return answer(dialect.error(dialect.wrongMethod(request)));
    }
    try {
      RequestOptions options = ModeResolver.resolve(request.header(SimulationMode.HEADER));
      return new Resolution(new Routed(match.request, request, match.route, options), null);
    } catch (ApiException e) {
      return answer(dialect.error(e.error()));
    }
  }

  /**
   * The endpoint's synthesized answer, with the request's fault applied. Never throws, except
   * inside {@link io.llmsim.core.generate.GenerationBudget#onLoop}: there a
   * {@link BudgetExceededException} says the answer must be computed off the loop.
   */
  public ResponsePlan synthesize(Routed routed) {
    Dialect dialect = routed.dialect();
    try {
      ResponsePlan plan = routed.route().endpoint().handle(routed.request(), routed.options());
      // One place for every dialect: the endpoint built a normal answer, the fault rewrites it.
      return applyFaults(routed, plan);
    } catch (ApiException e) {
      return dialect.error(e.error());
    } catch (InvalidJsonException e) {
      return dialect.error(dialect.invalidJson(e.getMessage()));
    } catch (BudgetExceededException e) {
      if (e.retryOffLoop()) {
        throw e; // the caller computes it again, off the event loop, with the full budget
      }
      return dialect.error(ApiError.invalidRequest("Invalid request: " + e.getMessage()
          + ". Ask for less: fewer or shorter items, a lower n, fewer prompts.", null,
          "synthesis_limit_" + e.limit().token()));
    } catch (RuntimeException e) {
      onFailure.accept(routed.original(), e);
      return serverError(dialect);
    } catch (StackOverflowError e) {
      // Whatever recursed, the client still gets an answer and the connection stays usable.
      onFailure.accept(routed.original(), new IllegalStateException("stack overflow", e));
      return serverError(dialect);
    }
  }

  private static ResponsePlan serverError(Dialect dialect) {
    return dialect.error(ApiError.of(ApiError.Kind.SERVER,
        "The server had an error while processing your request."));
  }

  /**
   * {@code plan} with the request's fault applied, if it strikes: the same transformers for
   * synthesized, replayed and forwarded answers.
   */
  public ResponsePlan applyFaults(Routed routed, ResponsePlan plan) {
    RequestOptions options = routed.options();
    return faults.apply(plan, options.fault(), options.seed(), routed.dialect(),
        routed.request());
  }

  private static Resolution answer(ResponsePlan plan) {
    return new Resolution(null, plan);
  }

  /** The faults injected so far, by kind, provider and model. */
  public FaultCounter faultCounter() {
    return faults.counter();
  }

  /**
   * An error found outside any endpoint (a request the HTTP layer refused), in the shape of the
   * provider the request was meant for: the one whose route its path names (its headers may be
   * missing or cut short), else the one its prefix or its headers name.
   */
  public ResponsePlan error(ApiRequest request, ApiError error) {
    Match match = find(request, routes);
    if (match != null) {
      return match.route.dialect().error(error);
    }
    for (ProviderApi provider : providers) {
      String prefix = provider.prefix();
      if (prefix != null && request.path().startsWith(prefix + "/")) {
        return provider.dialect().error(error);
      }
    }
    return claimant(request).error(error);
  }

  private record Match(Route route, ApiRequest request) {}

  /** The route matching path and method; else one matching the path only (for a 405). */
  private static Match find(ApiRequest request, List<Route> candidates) {
    Match pathOnly = null;
    for (Route route : candidates) {
      Map<String, String> params = route.match(request);
      if (params == null) {
        continue;
      }
      Match match = new Match(route, params.isEmpty() ? request : request.withPathParams(params));
      if (route.method().equals(request.method())) {
        return match;
      }
      if (pathOnly == null) {
        pathOnly = match;
      }
    }
    return pathOnly;
  }

  private Dialect claimant(ApiRequest request) {
    for (ProviderApi provider : providers) {
      if (provider.claims(request)) {
        return provider.dialect();
      }
    }
    return fallback;
  }
}
