package io.llmsim.core.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models {@code GET /v1beta/models} lists, with the limits Google publishes for them, and the
 * paging Google's list uses ({@code pageSize}, {@code pageToken}, {@code nextPageToken}). Model
 * names carry the {@code models/} prefix; only the methods llmsim serves are listed as supported.
 */
public final class GeminiModels {
  /** One entry of the list. */
  public record Model(
      String id, String version, String displayName, String description, int inputTokenLimit,
      int outputTokenLimit, int topK, boolean thinking) {}

  static final List<String> METHODS = List.of("generateContent", "countTokens");
  private static final int DEFAULT_PAGE_SIZE = 50;
  private static final int MAX_PAGE_SIZE = 1000;
  private static final int CONTEXT = 1_048_576;

  private static final List<Model> BUILT_IN =
      List.of(
          new Model("gemini-2.5-pro", "2.5", "Gemini 2.5 Pro",
              "Simulated by llmsim: Gemini 2.5 Pro, a thinking model.", CONTEXT, 65_536, 64,
              true),
          new Model("gemini-2.5-flash", "001", "Gemini 2.5 Flash",
              "Simulated by llmsim: Gemini 2.5 Flash, a fast thinking model.", CONTEXT, 65_536,
              64, true),
          new Model("gemini-2.5-flash-lite", "001", "Gemini 2.5 Flash-Lite",
              "Simulated by llmsim: Gemini 2.5 Flash-Lite, the smallest 2.5 model.", CONTEXT,
              65_536, 64, true),
          new Model("gemini-2.0-flash", "2.0", "Gemini 2.0 Flash",
              "Simulated by llmsim: Gemini 2.0 Flash.", CONTEXT, 8_192, 40, false),
          new Model("gemini-2.0-flash-lite", "2.0", "Gemini 2.0 Flash-Lite",
              "Simulated by llmsim: Gemini 2.0 Flash-Lite.", CONTEXT, 8_192, 40, false));

  private final Map<String, Model> models;

  private GeminiModels(List<Model> models) {
    Map<String, Model> byId = new LinkedHashMap<>();
    for (Model model : models) {
      byId.put(model.id(), model);
    }
    this.models = byId;
  }

  public static GeminiModels builtIn() {
    return new GeminiModels(BUILT_IN);
  }

  /** The built-in models plus {@code extra} ids, listed with Gemini 2.5 Flash's limits. */
  public static GeminiModels withExtra(List<String> extra) {
    List<Model> all = new ArrayList<>(BUILT_IN);
    for (String id : extra) {
      if (BUILT_IN.stream().noneMatch(m -> m.id().equals(id))) {
        all.add(new Model(id, "001", id, "Configured in llmsim.", CONTEXT, 65_536, 64, false));
      }
    }
    return new GeminiModels(all);
  }

  /** The model for an id with or without the {@code models/} prefix, or null. */
  public Model find(String id) {
    return models.get(strip(id));
  }

  static String strip(String id) {
    return id != null && id.startsWith("models/") ? id.substring("models/".length()) : id;
  }

  /**
   * One page of the list.
   *
   * @param pageSize the {@code pageSize} query parameter, or null
   * @param pageToken the {@code pageToken} query parameter, or null
   */
  public byte[] listBody(String pageSize, String pageToken) {
    int size = DEFAULT_PAGE_SIZE;
    if (pageSize != null && !pageSize.isEmpty()) {
      try {
        size = Integer.parseInt(pageSize);
      } catch (NumberFormatException e) {
        throw ApiException.invalid(
            "Invalid value at 'page_size' (TYPE_INT32), \"" + pageSize + "\"", "page_size", null);
      }
      if (size < 0) {
        throw ProtoJson.invalid("ListModelsRequest", "page_size", "must not be negative.");
      }
      size = size == 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
    }
    int start = pageToken == null || pageToken.isEmpty() ? 0 : decodeToken(pageToken);
    List<Model> all = new ArrayList<>(models.values());
    int end = Math.min(all.size(), start + size);
    List<Model> page = all.subList(Math.min(start, all.size()), end);
    return GeminiJson.pretty(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("models");
      for (Model model : page) {
        writeModel(g, model);
      }
      g.writeEndArray();
      if (end < all.size()) {
        g.writeStringField("nextPageToken", encodeToken(end));
      }
      g.writeEndObject();
    });
  }

  /** {@code GET /v1beta/models/{model}}. */
  public byte[] modelBody(String id) {
    Model model = find(id);
    if (model == null) {
      throw new ApiException(
          ApiError.notFound(
              "models/" + strip(id) + " is not found for API version v1beta, or is not supported"
                  + " for get. Call ListModels to see the list of available models and their"
                  + " supported methods.",
              null));
    }
    return GeminiJson.pretty(g -> writeModel(g, model));
  }

  private static void writeModel(JsonGenerator g, Model model) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", "models/" + model.id());
    g.writeStringField("version", model.version());
    g.writeStringField("displayName", model.displayName());
    g.writeStringField("description", model.description());
    g.writeNumberField("inputTokenLimit", model.inputTokenLimit());
    g.writeNumberField("outputTokenLimit", model.outputTokenLimit());
    g.writeArrayFieldStart("supportedGenerationMethods");
    for (String method : METHODS) {
      g.writeString(method);
    }
    g.writeEndArray();
    g.writeNumberField("temperature", 1);
    g.writeNumberField("topP", 0.95);
    g.writeNumberField("topK", model.topK());
    g.writeNumberField("maxTemperature", 2);
    if (model.thinking()) {
      g.writeBooleanField("thinking", true);
    }
    g.writeEndObject();
  }

  private static String encodeToken(int offset) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("llmsim:" + offset).getBytes(StandardCharsets.US_ASCII));
  }

  private static int decodeToken(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
      if (raw.startsWith("llmsim:")) {
        int offset = Integer.parseInt(raw.substring("llmsim:".length()));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below; NumberFormatException is an IllegalArgumentException
    }
    throw ProtoJson.invalid("ListModelsRequest", "page_token", "Invalid page token.");
  }
}
