package io.llmsim.core.gemini;

import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.api.ProviderApi;
import io.llmsim.core.api.Route;
import io.llmsim.core.plan.ResponsePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gemini Developer API (WIRE-FORMATS §6): generate, stream, count tokens, list and get models,
 * under {@code /v1beta} (the SDKs' default) and {@code /v1}, and under {@code /gemini} as well.
 *
 * <p>The key may come as {@code x-goog-api-key} or {@code ?key=}; neither is required, since what
 * Google answers a keyless request is not documented in WIRE-FORMATS §6.
 */
public final class GeminiApi implements ProviderApi {
  private final GeminiModels models;
  private final GeminiGenerateContent generate;

  public GeminiApi(ApiConfig config) {
    this.models = GeminiModels.withExtra(config.extraModels());
    this.generate = new GeminiGenerateContent(config.synthesis(), models);
  }

  @Override
  public Dialect dialect() {
    return GeminiDialect.INSTANCE;
  }

  @Override
  public String prefix() {
    return "/gemini";
  }

  @Override
  public boolean claims(ApiRequest request) {
    String path = request.path();
    return request.header("x-goog-api-key") != null
        || path.equals("/v1beta")
        || path.startsWith("/v1beta/")
        || (path.startsWith("/v1/models/") && path.indexOf(':') > 0);
  }

  @Override
  public List<Route> routes() {
    Dialect d = dialect();
    List<Route> routes = new ArrayList<>();
    for (String version : List.of("/v1beta", "/v1")) {
      String models = version + "/models";
      routes.add(Route.post(models + "/{model}:generateContent", d,
          (r, o) -> generate.generate(r, o, false)));
      routes.add(Route.post(models + "/{model}:streamGenerateContent", d,
          (r, o) -> generate.generate(r, o, true)));
      routes.add(Route.post(models + "/{model}:countTokens", d,
          (r, o) -> generate.countTokens(r)));
      Route list = Route.get(models, d, (r, o) -> ok(
          this.models.listBody(r.query("pageSize"), r.query("pageToken"))));
      // A model id never holds a colon: without this guard a GET of a method path would be
      // answered as an unknown model rather than as a method that needs POST.
      Route get = Route.get(models + "/{model}", d,
          (r, o) -> ok(this.models.modelBody(r.pathParam("model"))))
          .when(r -> r.path().indexOf(':') < 0);
      if (version.equals("/v1")) {
        // GET /v1/models is OpenAI's too: it is Gemini's only when a Google key comes with it.
        list = list.when(GeminiApi::hasGoogleKey);
        get = get.when(r -> r.path().indexOf(':') < 0 && hasGoogleKey(r));
      }
      routes.add(list);
      routes.add(get);
    }
    return routes;
  }

  private static boolean hasGoogleKey(ApiRequest request) {
    return request.header("x-goog-api-key") != null || request.query("key") != null;
  }

  private static ResponsePlan ok(byte[] body) {
    return ResponsePlan.of(200, GeminiDialect.headers(), body, 0);
  }
}
