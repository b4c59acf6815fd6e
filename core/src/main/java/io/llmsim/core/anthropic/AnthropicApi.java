package io.llmsim.core.anthropic;

import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Dialect;
import io.llmsim.core.api.Endpoint;
import io.llmsim.core.api.ProviderApi;
import io.llmsim.core.api.Route;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Anthropic's endpoints (WIRE-FORMATS §5): messages, token counting and models. Also answers under
 * {@code /anthropic}. {@code /v1/models} is OpenAI's path too, so those routes only take requests
 * carrying Anthropic's headers ({@code anthropic-version} or {@code x-api-key}, which every
 * Anthropic SDK sends and no OpenAI SDK does); register this API before OpenAI's. A
 * {@code ?beta=true} query, which the SDKs' beta methods add, changes nothing.
 */
public final class AnthropicApi implements ProviderApi {
  static final String VERSION_HEADER = "anthropic-version";

  /**
   * A version is a date; SDKs send the one they were built for (2023-06-01 for years, later
   * releases newer dates), so any date is accepted and answered in the same format.
   */
  private static final Pattern VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private static final int DEFAULT_PAGE = 20;
  private static final int MAX_PAGE = 1000;

  private final AnthropicModels models;
  private final AnthropicMessages messages;

  public AnthropicApi(ApiConfig config) {
    this.models = AnthropicModels.withExtra(config.extraModels());
    this.messages = new AnthropicMessages(config.synthesis(), models);
  }

  @Override
  public Dialect dialect() {
    return AnthropicDialect.INSTANCE;
  }

  @Override
  public String prefix() {
    return "/anthropic";
  }

  @Override
  public boolean claims(ApiRequest request) {
    return isAnthropic(request);
  }

  /** True for a request with Anthropic's headers. */
  static boolean isAnthropic(ApiRequest request) {
    return request.header(VERSION_HEADER) != null || request.header("x-api-key") != null;
  }

  @Override
  public List<Route> routes() {
    Dialect d = dialect();
    return List.of(
        Route.post("/v1/messages", d,
            versioned((r, o) -> messages.create(r.json(), o, r.epochSeconds()))),
        Route.post("/v1/messages/count_tokens", d,
            versioned((r, o) -> messages.countTokens(r.json()))),
        Route.get("/v1/models", d, versioned((r, o) -> list(r)))
            .when(AnthropicApi::isAnthropic),
        Route.get("/v1/models/{id}", d, versioned((r, o) -> model(r.pathParam("id"))))
            .when(AnthropicApi::isAnthropic));
  }

  /** The error for a request without {@code anthropic-version}. */
  static ApiError missingVersion() {
    return ApiError.invalidRequest(VERSION_HEADER + ": header is required", null, null);
  }

  /** Checks {@code anthropic-version} before the endpoint runs, as Anthropic does. */
  private static Endpoint versioned(Endpoint endpoint) {
    return (request, options) -> {
      String version = request.header(VERSION_HEADER);
      if (version == null) {
        throw new ApiException(missingVersion());
      }
      if (!VERSION.matcher(version.trim()).matches()) {
        throw new ApiException(ApiError.invalidRequest(
            VERSION_HEADER + ": invalid version '" + version + "'; expected a date such as"
                + " 2023-06-01", null, null));
      }
      return endpoint.handle(request, options);
    };
  }

  private ResponsePlan list(ApiRequest request) {
    int limit = DEFAULT_PAGE;
    String raw = request.query("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        throw AnthropicParser.field("limit", "Input should be a valid integer");
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw AnthropicParser.field("limit",
            limit < 1 ? "Input should be greater than or equal to 1"
                : "Input should be less than or equal to " + MAX_PAGE);
      }
    }
    return ok(models.listBody(request.query("before_id"), request.query("after_id"), limit));
  }

  private ResponsePlan model(String id) {
    AnthropicModels.Model model = models.find(id);
    if (model == null) {
      throw new ApiException(ApiError.notFound("model: " + id, null));
    }
    return ok(AnthropicModels.modelBody(model));
  }

  private static ResponsePlan ok(byte[] body) {
    return ResponsePlan.of(200,
        AnthropicHeaders.plain(AnthropicHeaders.requestId(ThreadLocalRandom.current())), body, 0);
  }
}
