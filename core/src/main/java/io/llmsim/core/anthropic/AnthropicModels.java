package io.llmsim.core.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.JsonBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models an Anthropic-compatible llmsim lists (WIRE-FORMATS §5.8), newest first as Anthropic
 * lists them, with the dated snapshot each alias resolves to: a request for
 * {@code claude-sonnet-4-5} is answered as {@code claude-sonnet-4-5-20250929}, as Anthropic does.
 */
public final class AnthropicModels {
  /**
   * One entry of {@code GET /v1/models}.
   *
   * @param createdAt RFC 3339, as Anthropic writes it
   * @param maxOutputTokens the largest {@code max_tokens} the model accepts; 0 for no check
   */
  public record Model(String id, String displayName, String createdAt, int maxOutputTokens) {}

  private static final List<Model> BUILT_IN =
      List.of(
          new Model("claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24T00:00:00Z", 64_000),
          new Model("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z",
              64_000),
          new Model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z",
              64_000),
          new Model("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z", 32_000),
          new Model("claude-opus-4-20250514", "Claude Opus 4", "2025-05-22T00:00:00Z", 32_000),
          new Model("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z", 64_000),
          new Model("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", "2025-02-24T00:00:00Z",
              64_000),
          new Model("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z", 8_192),
          new Model("claude-3-haiku-20240307", "Claude Haiku 3", "2024-03-07T00:00:00Z", 4_096));

  private static final Map<String, String> ALIASES =
      Map.of(
          "claude-opus-4-5", "claude-opus-4-5-20251101",
          "claude-haiku-4-5", "claude-haiku-4-5-20251001",
          "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
          "claude-opus-4-1", "claude-opus-4-1-20250805",
          "claude-opus-4-0", "claude-opus-4-20250514",
          "claude-sonnet-4-0", "claude-sonnet-4-20250514",
          "claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219",
          "claude-3-5-haiku-latest", "claude-3-5-haiku-20241022");

  private static final int CONTEXT_WINDOW = 200_000;

  /** Listed for ids the server's configuration adds: they have no release date of their own. */
  private static final String EXTRA_CREATED_AT = "2025-01-01T00:00:00Z";

  private final List<Model> models;
  private final Map<String, Integer> positions = new LinkedHashMap<>();

  private AnthropicModels(List<Model> models) {
    this.models = List.copyOf(models);
    for (int i = 0; i < this.models.size(); i++) {
      positions.put(this.models.get(i).id(), i);
    }
  }

  public static AnthropicModels builtIn() {
    return new AnthropicModels(BUILT_IN);
  }

  /** The built-in models plus {@code extra} ids, listed after them. */
  public static AnthropicModels withExtra(List<String> extra) {
    List<Model> all = new ArrayList<>(BUILT_IN);
    for (String id : extra) {
      if (BUILT_IN.stream().noneMatch(m -> m.id().equals(id)) && !ALIASES.containsKey(id)) {
        all.add(new Model(id, id, EXTRA_CREATED_AT, 0));
      }
    }
    return new AnthropicModels(all);
  }

  /** The model id an answer reports for a requested model: aliases become their snapshot. */
  public static String resolve(String requested) {
    return ALIASES.getOrDefault(requested, requested);
  }

  /** The model with this id or alias, or null. */
  public Model find(String idOrAlias) {
    Integer at = positions.get(resolve(idOrAlias));
    return at == null ? null : models.get(at);
  }

  /**
   * One page of the list: at most {@code limit} models after {@code afterId} (or before
   * {@code beforeId}); an id the list does not hold gives an empty page.
   */
  public byte[] listBody(String beforeId, String afterId, int limit) {
    int from = 0;
    int to = models.size();
    if (afterId != null) {
      Integer at = positions.get(afterId);
      from = at == null ? to : at + 1;
    }
    if (beforeId != null) {
      Integer at = positions.get(beforeId);
      to = at == null ? 0 : at;
      // Paging backwards returns the models just before the cursor.
      from = Math.max(from, to - limit);
    }
    List<Model> page = from >= to ? List.of() : models.subList(from, Math.min(to, from + limit));
    boolean hasMore =
        beforeId != null ? from > 0 && !page.isEmpty() : from + page.size() < to;
    return JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (Model model : page) {
        writeModel(g, model);
      }
      g.writeEndArray();
      g.writeBooleanField("has_more", hasMore);
      g.writeStringField("first_id", page.isEmpty() ? null : page.get(0).id());
      g.writeStringField("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id());
      g.writeEndObject();
    });
  }

  public static byte[] modelBody(Model model) {
    return JsonBytes.write(g -> writeModel(g, model));
  }

  /**
   * A model object with the fields newer SDKs require: every listed model is active with no
   * retirement scheduled, and has Claude's 200k context. Capabilities are left null (the field is
   * nullable) rather than guessed.
   */
  private static void writeModel(JsonGenerator g, Model model) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "model");
    g.writeStringField("id", model.id());
    g.writeStringField("display_name", model.displayName());
    g.writeStringField("created_at", model.createdAt());
    g.writeStringField("lifecycle", "active");
    g.writeNullField("deprecated_at");
    g.writeNullField("retires_at");
    g.writeStringField("line", line(model.id()));
    if (model.maxOutputTokens() > 0) {
      g.writeNumberField("max_input_tokens", CONTEXT_WINDOW);
      g.writeNumberField("max_tokens", model.maxOutputTokens());
    } else {
      g.writeNullField("max_input_tokens");
      g.writeNullField("max_tokens");
    }
    g.writeNullField("capabilities");
    g.writeEndObject();
  }

  /** The model line (opus, sonnet, haiku) an id names, or null for ids the server added. */
  private static String line(String id) {
    for (String line : List.of("opus", "sonnet", "haiku")) {
      if (id.startsWith("claude-") && id.contains(line)) {
        return line;
      }
    }
    return null;
  }
}
