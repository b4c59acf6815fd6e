package io.llmsim.core.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.api.Endpoint;
import io.llmsim.core.api.ProviderApi;
import io.llmsim.core.api.Route;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.openai.OpenAiChatCompletions;
import io.llmsim.core.openai.OpenAiCompletions;
import io.llmsim.core.openai.OpenAiEmbeddings;
import io.llmsim.core.openai.OpenAiResponses;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.llmsim.core.synth.SynthesisSettings;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Azure OpenAI (WIRE-FORMATS §7): OpenAI's bodies behind Azure's paths, headers and gateway
 * errors.
 *
 * <ul>
 *   <li>Classic, deployment-scoped: {@code POST /openai/deployments/{deployment}/chat/completions},
 *       {@code .../completions}, {@code .../embeddings}, {@code .../responses} (where openai-java
 *       sends it) and {@code POST /openai/responses} (where openai-python sends it), each
 *       with a required {@code api-version} query parameter (missing: 404 {@code Resource not
 *       found}, as Azure answers; not a dated version: 400 {@code API version not supported}).
 *       The deployment names the model; the body's {@code model} is ignored.
 *   <li>v1: {@code /openai/v1/chat/completions}, {@code completions}, {@code embeddings},
 *       {@code responses}, with the deployment name in the body's {@code model} and no dated
 *       {@code api-version}. The same paths are llmsim's explicit-OpenAI prefix, so they are
 *       Azure's only for requests that look like Azure's (an {@code api-key} header or an
 *       {@code api-version} parameter); others, and every other {@code /openai/v1} path, are
 *       answered as OpenAI.
 * </ul>
 *
 * <p>Deployments map to models through {@link ApiConfig#azureDeployments()}; with no mapping
 * configured, a deployment's name is its model, and with one, an unknown deployment is a 404
 * {@code DeploymentNotFound}. Answers use the {@code azure-openai} latency profile unless the
 * request or the server chose one, or the model is a reasoning model.
 */
public final class AzureApi implements ProviderApi {
  /** The built-in profile for Azure-hosted chat models: OpenAI's, plus Azure's extra TTFT. */
  static final String PROFILE = "azure-openai";

  private static final Pattern DATED_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

  /** An OpenAI endpoint as Azure calls it: a body with the model set, options, arrival time. */
  @FunctionalInterface
  private interface Target {
    ResponsePlan answer(JsonNode body, RequestOptions options, long nowEpochSeconds);
  }

  private final Map<String, String> deployments;
  private final SynthesisSettings settings;
  private final Target chat;
  private final Target completions;
  private final Target embeddings;
  private final Target responses;

  public AzureApi(ApiConfig config) {
    this.deployments = config.azureDeployments();
    this.settings = config.synthesis();
    this.chat = new OpenAiChatCompletions(settings)::synthesize;
    this.completions = new OpenAiCompletions(settings)::synthesize;
    OpenAiEmbeddings embeddingsEndpoint = new OpenAiEmbeddings(settings);
    this.embeddings = (body, options, now) -> embeddingsEndpoint.create(body, options);
    this.responses = new OpenAiResponses(settings)::synthesize;
  }

  @Override
  public Dialect dialect() {
    return AzureDialect.INSTANCE;
  }

  /** Unknown deployment-scoped paths get Azure's 404; other {@code /openai} paths are OpenAI's. */
  @Override
  public String prefix() {
    return "/openai/deployments";
  }

  /** Only Azure's clients authenticate with an {@code api-key} header. */
  @Override
  public boolean claims(ApiRequest request) {
    return request.header("api-key") != null;
  }

  @Override
  public List<Route> routes() {
    Dialect d = dialect();
    String deployment = "/openai/deployments/{deployment}";
    return List.of(
        Route.post(deployment + "/chat/completions", d, deploymentScoped(chat)),
        Route.post(deployment + "/completions", d, deploymentScoped(completions)),
        Route.post(deployment + "/embeddings", d, deploymentScoped(embeddings)),
        // openai-java's Azure mode puts every model-bearing call under the deployment.
        Route.post(deployment + "/responses", d, deploymentScoped(responses)),
        Route.post("/openai/responses", d, modelInBody(responses, true)),
        Route.post("/openai/v1/chat/completions", d, modelInBody(chat, false))
            .when(AzureApi::looksAzure),
        Route.post("/openai/v1/completions", d, modelInBody(completions, false))
            .when(AzureApi::looksAzure),
        Route.post("/openai/v1/embeddings", d, modelInBody(embeddings, false))
            .when(AzureApi::looksAzure),
        Route.post("/openai/v1/responses", d, modelInBody(responses, false))
            .when(AzureApi::looksAzure));
  }

  private Endpoint deploymentScoped(Target target) {
    return (request, options) -> {
      requireDatedApiVersion(request);
      String deployment = request.pathParam("deployment");
      String model = model(deployment);
      return answer(target, request, options, withModel(request.json(), model), deployment);
    };
  }

  /** Classic non-deployment paths ({@code dated}) and v1 paths: the deployment is the model. */
  private Endpoint modelInBody(Target target, boolean dated) {
    return (request, options) -> {
      if (dated) {
        requireDatedApiVersion(request);
      } else {
        checkV1ApiVersion(request);
      }
      JsonNode body = request.json();
      JsonNode name = body.get("model");
      if (name == null || !name.isTextual()) {
        return answer(target, request, options, body, null);
      }
      String deployment = name.asText();
      return answer(target, request, options, withModel(body, model(deployment)), deployment);
    };
  }

  private ResponsePlan answer(Target target, ApiRequest request, RequestOptions options,
      JsonNode body, String deployment) {
    String model = body.path("model").asText("");
    ResponsePlan plan = target.answer(body, options(options, model), request.epochSeconds());
    return AzureHeaders.rewrite(plan, request, deployment);
  }

  /** Azure's latency unless the request or server chose a profile, or the model reasons. */
  private RequestOptions options(RequestOptions options, String model) {
    if (options.profile() != null
        || settings.forcedProfile() != null
        || settings.profiles().get(PROFILE) == null
        || settings.profiles().forModel(model).name().equals("openai-reasoning")) {
      return options;
    }
    return new RequestOptions(PROFILE, options.seed(), options.speed());
  }

  private String model(String deployment) {
    if (deployments.isEmpty()) {
      return deployment;
    }
    String model = deployments.get(deployment);
    if (model == null) {
      throw new ApiException(AzureDialect.gatewayError(ApiError.Kind.NOT_FOUND, 404,
          "DeploymentNotFound",
          "The API deployment for this resource does not exist. If you created the deployment"
              + " within the last 5 minutes, please wait a moment and try again."));
    }
    return model;
  }

  /** The body with {@code model} set; a body that is not an object is left for the endpoint. */
  private static JsonNode withModel(JsonNode body, String model) {
    if (!body.isObject()) {
      return body;
    }
    ObjectNode copy = ((ObjectNode) body).objectNode();
    copy.setAll((ObjectNode) body);
    copy.put("model", model);
    return copy;
  }

  private static boolean looksAzure(ApiRequest request) {
    return request.header("api-key") != null || request.query("api-version") != null;
  }

  private static void requireDatedApiVersion(ApiRequest request) {
    String version = request.query("api-version");
    if (version == null || version.isEmpty()) {
      throw new ApiException(AzureDialect.gatewayError(
          ApiError.Kind.NOT_FOUND, 404, "404", "Resource not found"));
    }
    if (!DATED_VERSION.matcher(version).matches()) {
      throw unsupportedVersion();
    }
  }

  /** The v1 API takes no dated version; only {@code preview} and {@code latest}. */
  private static void checkV1ApiVersion(ApiRequest request) {
    String version = request.query("api-version");
    if (version != null && !version.equals("preview") && !version.equals("latest")) {
      throw unsupportedVersion();
    }
  }

  private static ApiException unsupportedVersion() {
    return new ApiException(AzureDialect.gatewayError(
        ApiError.Kind.INVALID_REQUEST, 400, "BadRequest", "API version not supported"));
  }
}
