package io.llmsim.core.openai;

import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.api.ProviderApi;
import io.llmsim.core.api.Route;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OpenAI's endpoints: models, chat completions, the Responses API, legacy completions and
 * embeddings. Also answers under {@code /openai}.
 */
public final class OpenAiApi implements ProviderApi {
  private final OpenAiModels models;
  private final byte[] modelList;
  private final OpenAiChatCompletions chat;
  private final OpenAiResponses responses;
  private final OpenAiCompletions completions;
  private final OpenAiEmbeddings embeddings;

  public OpenAiApi(ApiConfig config) {
    this.models = OpenAiModels.withExtra(config.extraModels());
    this.modelList = models.listBody();
    this.chat = new OpenAiChatCompletions(config.synthesis());
    this.responses = new OpenAiResponses(config.synthesis());
    this.completions = new OpenAiCompletions(config.synthesis());
    this.embeddings = new OpenAiEmbeddings(config.synthesis());
  }

  @Override
  public Dialect dialect() {
    return OpenAiDialect.INSTANCE;
  }

  @Override
  public String prefix() {
    return "/openai";
  }

  @Override
  public boolean claims(ApiRequest request) {
    return true;
  }

  @Override
  public List<Route> routes() {
    Dialect d = dialect();
    return List.of(
        Route.get("/v1/models", d, (r, o) -> ok(modelList)),
        Route.get("/v1/models/{id}", d, (r, o) -> model(r.pathParam("id"))),
        Route.post("/v1/chat/completions", d,
            (r, o) -> chat.synthesize(r.json(), o, r.epochSeconds())),
        Route.post("/v1/responses", d,
            (r, o) -> responses.synthesize(r.json(), o, r.epochSeconds())),
        Route.post("/v1/completions", d,
            (r, o) -> completions.synthesize(r.json(), o, r.epochSeconds())),
        Route.post("/v1/embeddings", d, (r, o) -> embeddings.create(r.json(), o)));
  }

  private ResponsePlan model(String id) {
    OpenAiModels.Model model = models.find(id);
    if (model == null) {
      throw new ApiException(ApiError.notFound(
          "The model `" + id + "` does not exist or you do not have access to it.",
          "model_not_found"));
    }
    return ok(OpenAiModels.modelBody(model));
  }

  private static ResponsePlan ok(byte[] body) {
    return ResponsePlan.of(200,
        OpenAiHeaders.plain(OpenAiHeaders.requestId(ThreadLocalRandom.current())), body, 0);
  }
}
