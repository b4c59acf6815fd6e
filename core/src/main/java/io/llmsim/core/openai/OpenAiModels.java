package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.llmsim.core.json.JsonBytes;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models an OpenAI-compatible llmsim lists, and the snapshot each alias resolves to (a request for
 * {@code gpt-4o} is answered as {@code gpt-4o-2024-08-06}, as OpenAI does).
 */
public final class OpenAiModels {
  /** One entry of {@code GET /v1/models}. */
  public record Model(String id, long created, String ownedBy) {}

  private static final Map<String, String> SNAPSHOTS =
      Map.of(
          "gpt-4o", "gpt-4o-2024-08-06",
          "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
          "gpt-4.1", "gpt-4.1-2025-04-14",
          "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14",
          "gpt-4.1-nano", "gpt-4.1-nano-2025-04-14",
          "gpt-5", "gpt-5-2025-08-07",
          "gpt-5-mini", "gpt-5-mini-2025-08-07",
          "o3", "o3-2025-04-16",
          "o4-mini", "o4-mini-2025-04-16");

  private static final List<Model> BUILT_IN =
      List.of(
          new Model("gpt-4o", 1715367049, "system"),
          new Model("gpt-4o-2024-08-06", 1722814719, "system"),
          new Model("gpt-4o-mini", 1721172741, "system"),
          new Model("gpt-4o-mini-2024-07-18", 1721172717, "system"),
          new Model("gpt-4.1", 1744316542, "system"),
          new Model("gpt-4.1-mini", 1744318173, "system"),
          new Model("gpt-4.1-nano", 1744321707, "system"),
          new Model("gpt-5", 1754425777, "system"),
          new Model("gpt-5-mini", 1754425928, "system"),
          new Model("o3", 1744225308, "system"),
          new Model("o4-mini", 1744225351, "system"),
          new Model("gpt-3.5-turbo", 1677610602, "openai"),
          new Model("gpt-3.5-turbo-instruct", 1692901427, "system"),
          new Model("text-embedding-3-small", 1705948997, "system"),
          new Model("text-embedding-3-large", 1705953180, "system"));

  private final Map<String, Model> models;

  private OpenAiModels(List<Model> models) {
    Map<String, Model> byId = new LinkedHashMap<>();
    for (Model model : models) {
      byId.put(model.id(), model);
    }
    this.models = byId;
  }

  public static OpenAiModels builtIn() {
    return new OpenAiModels(BUILT_IN);
  }

  /** The built-in models plus {@code extra} ids (owned by {@code llmsim}). */
  public static OpenAiModels withExtra(List<String> extra) {
    List<Model> all = new java.util.ArrayList<>(BUILT_IN);
    for (String id : extra) {
      if (BUILT_IN.stream().noneMatch(m -> m.id().equals(id))) {
        all.add(new Model(id, 1735689600, "llmsim"));
      }
    }
    return new OpenAiModels(all);
  }

  /** The model id an answer reports for a requested model. */
  public static String resolve(String requested) {
    return SNAPSHOTS.getOrDefault(requested, requested);
  }

  public Model find(String id) {
    return models.get(id);
  }

  public byte[] listBody() {
    return JsonBytes.write(g -> {
      g.writeStartObject();
      g.writeStringField("object", "list");
      g.writeArrayFieldStart("data");
      for (Model model : models.values()) {
        writeModel(g, model);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public static byte[] modelBody(Model model) {
    return JsonBytes.write(g -> writeModel(g, model));
  }

  private static void writeModel(JsonGenerator g, Model model) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", model.id());
    g.writeStringField("object", "model");
    g.writeNumberField("created", model.created());
    g.writeStringField("owned_by", model.ownedBy());
    g.writeEndObject();
  }
}
