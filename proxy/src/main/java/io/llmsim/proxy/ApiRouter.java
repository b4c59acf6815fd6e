package io.llmsim.proxy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.json.Json;
import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.openai.OpenAiChatCompletions;
import io.llmsim.core.openai.OpenAiErrors;
import io.llmsim.core.openai.OpenAiHeaders;
import io.llmsim.core.openai.OpenAiModels;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.core.synth.RequestOptions;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a request to the plan that answers it. Never throws: every failure becomes a
 * provider-shaped error plan. Thread-safe and free of I/O, so it may run on an event loop.
 */
final class ApiRouter {
  private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);
  private static final String MODELS_PREFIX = "/v1/models/";

  private final OpenAiChatCompletions chat;
  private final OpenAiModels models;
  private final byte[] modelList;

  ApiRouter(ServerConfig config) {
    this.chat = new OpenAiChatCompletions(config.synthesis());
    this.models = OpenAiModels.withExtra(config.extraModels());
    this.modelList = models.listBody();
  }

  ResponsePlan route(FullHttpRequest request) {
    try {
      return dispatch(request);
    } catch (ApiException e) {
      return error(e.error());
    } catch (RuntimeException e) {
      log.error("unexpected failure answering {} {}", request.method(), path(request.uri()), e);
      return error(
          new ApiError(500, "server_error", null, null,
              "The server had an error while processing your request. Sorry about that!"));
    }
  }

  private ResponsePlan dispatch(FullHttpRequest request) {
    String path = path(request.uri());
    HttpMethod method = request.method();
    switch (path) {
      case "/health":
        requireMethod(method, HttpMethod.GET, path);
        return ResponsePlan.json(200, List.of(json()), "{\"status\":\"ok\"}");
      case "/v1/models":
        requireMethod(method, HttpMethod.GET, path);
        return ResponsePlan.of(200, headers(), modelList, 0);
      case "/v1/chat/completions": {
        requireMethod(method, HttpMethod.POST, path);
        RequestOptions options =
            ModeResolver.resolve(request.headers().get(SimulationMode.HEADER));
        try {
          return chat.synthesize(body(request), options, System.currentTimeMillis() / 1000);
        } catch (IllegalArgumentException e) {
          // An unknown profile named by the header.
          throw new ApiException(
              new ApiError(400, "invalid_request_error", "invalid_simulation_mode",
                  SimulationMode.HEADER, "x-simulation-mode: " + e.getMessage()));
        }
      }
      default:
        if (path.startsWith(MODELS_PREFIX) && path.length() > MODELS_PREFIX.length()) {
          requireMethod(method, HttpMethod.GET, path);
          String id = path.substring(MODELS_PREFIX.length());
          OpenAiModels.Model model = models.find(id);
          if (model == null) {
            throw new ApiException(
                new ApiError(404, "invalid_request_error", "model_not_found", null,
                    "The model `" + id + "` does not exist or you do not have access to it."));
          }
          return ResponsePlan.of(200, headers(), OpenAiModels.modelBody(model), 0);
        }
        throw new ApiException(
            new ApiError(404, "invalid_request_error", null, null,
                "Invalid URL (" + method + " " + path + ")"));
    }
  }

  /** An error answer in OpenAI's shape. */
  static ResponsePlan error(ApiError error) {
    return ResponsePlan.of(
        error.status(),
        OpenAiHeaders.plain(OpenAiHeaders.requestId(ThreadLocalRandom.current())),
        OpenAiErrors.body(error),
        0);
  }

  private static void requireMethod(HttpMethod actual, HttpMethod expected, String path) {
    if (!actual.equals(expected)) {
      throw new ApiException(
          new ApiError(405, "invalid_request_error", null, null,
              "Invalid method for URL (" + actual + " " + path + ")"));
    }
  }

  private static JsonNode body(FullHttpRequest request) {
    if (!request.content().isReadable()) {
      throw new ApiException(
          ApiError.invalidRequest(
              "We could not parse the JSON body of your request. (HINT: This likely means you"
                  + " aren't using your HTTP library correctly. The OpenAI API expects a JSON"
                  + " payload, but what was sent was not valid JSON.)",
              null, null));
    }
    try {
      return Json.MAPPER.readTree(new ByteBufInputStream(request.content().duplicate()));
    } catch (JacksonException e) {
      throw new ApiException(
          ApiError.invalidRequest(
              "We could not parse the JSON body of your request. (HINT: This likely means you"
                  + " aren't using your HTTP library correctly. The OpenAI API expects a JSON"
                  + " payload, but what was sent was not valid JSON: "
                  + e.getOriginalMessage() + ")",
              null, null));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String path(String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }

  private static Map.Entry<String, String> json() {
    return Map.entry("content-type", "application/json");
  }

  private static List<Map.Entry<String, String>> headers() {
    return OpenAiHeaders.plain(OpenAiHeaders.requestId(ThreadLocalRandom.current()));
  }
}
