package io.llmsim.core.latency;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The latency profiles a server knows, and which model gets which profile. Built-in profiles are
 * seeded from public measurements (WIRE-FORMATS §9.2); {@code instant} and {@code fast} are for CI.
 * Users add or override profiles and mappings from a profiles file.
 */
public final class ProfileCatalog {
  static final Distribution DEFAULT_OUTPUT_TOKENS = Distribution.lognormal(120, 400);

  /** Profile used when no mapping matches the model. */
  public static final String DEFAULT_PROFILE = "openai-gpt-4o";

  private static final int MAX_CACHED_MODELS = 1024;

  private final Map<String, LatencyProfile> profiles;
  private final List<Mapping> mappings;
  private final String fallback;
  private final Map<String, LatencyProfile> byModel = new ConcurrentHashMap<>();

  private record Mapping(String glob, Pattern pattern, String profile) {}

  private ProfileCatalog(
      Map<String, LatencyProfile> profiles, List<Mapping> mappings, String fallback) {
    this.profiles = Collections.unmodifiableMap(profiles);
    this.mappings = List.copyOf(mappings);
    this.fallback = fallback;
  }

  /** The built-in profiles and model mappings. */
  public static ProfileCatalog builtIn() {
    Map<String, LatencyProfile> p = new LinkedHashMap<>();
    // TTFT p50/p90 and output speed from WIRE-FORMATS §9.2; gaps are 1000/tps with a p90 of twice that.
    add(p, "openai-gpt-4o", 600, 1500, 30, 80, 1);
    add(p, "openai-mini", 700, 1500, 30, 75, 1);
    add(p, "openai-reasoning", 6000, 15000, 60, 120, 1);
    add(p, "azure-openai", 1100, 2300, 30, 90, 1);
    add(p, "anthropic-sonnet", 1200, 2500, 50, 65, 4);
    add(p, "anthropic-haiku", 700, 1500, 40, 110, 4);
    add(p, "anthropic-opus", 1800, 3000, 60, 55, 4);
    add(p, "gemini-flash", 450, 800, 20, 210, 50);
    add(p, "gemini-pro", 6000, 15000, 40, 120, 50);
    p.put(
        "instant",
        new LatencyProfile(
            "instant", Distribution.constant(0), 0, Distribution.constant(0),
            DEFAULT_OUTPUT_TOKENS, Distribution.constant(1)));
    p.put(
        "fast",
        new LatencyProfile(
            "fast", Distribution.lognormal(20, 40), 0, Distribution.lognormal(2, 4),
            DEFAULT_OUTPUT_TOKENS, Distribution.constant(1)));

    List<Mapping> m = new ArrayList<>();
    map(m, "gpt-4o-mini*", "openai-mini");
    map(m, "gpt-4.1-mini*", "openai-mini");
    map(m, "gpt-4.1-nano*", "openai-mini");
    map(m, "gpt-5-mini*", "openai-mini");
    map(m, "gpt-5-nano*", "openai-mini");
    map(m, "o1*", "openai-reasoning");
    map(m, "o3*", "openai-reasoning");
    map(m, "o4*", "openai-reasoning");
    map(m, "gpt-*", "openai-gpt-4o");
    map(m, "chatgpt-*", "openai-gpt-4o");
    map(m, "claude-*haiku*", "anthropic-haiku");
    map(m, "claude-*opus*", "anthropic-opus");
    map(m, "claude-*", "anthropic-sonnet");
    map(m, "gemini-*pro*", "gemini-pro");
    map(m, "gemini-*", "gemini-flash");
    return new ProfileCatalog(p, m, DEFAULT_PROFILE);
  }

  /**
   * Returns a catalog with the profiles and mappings of a profiles file layered over this one:
   *
   * <pre>
   * profiles:
   *   my-model: {ttft: {...}, itl: {...}}
   * models:            # glob -> profile, tried in order before this catalog's mappings
   *   my-model-*: my-model
   * default: my-model  # optional: profile for models no mapping matches
   * </pre>
   */
  public ProfileCatalog with(JsonNode file) {
    if (file == null || !file.isObject()) {
      throw new IllegalArgumentException("profiles file: expected a mapping at the top level");
    }
    Map<String, LatencyProfile> p = new LinkedHashMap<>(profiles);
    List<Mapping> m = new ArrayList<>();
    String newFallback = fallback;
    for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      switch (entry.getKey()) {
        case "profiles" -> {
          for (Iterator<Map.Entry<String, JsonNode>> ps = entry.getValue().fields();
              ps.hasNext(); ) {
            Map.Entry<String, JsonNode> profile = ps.next();
            p.put(profile.getKey(), LatencyProfile.fromJson(profile.getKey(), profile.getValue()));
          }
        }
        case "models" -> {
          for (Iterator<Map.Entry<String, JsonNode>> ms = entry.getValue().fields();
              ms.hasNext(); ) {
            Map.Entry<String, JsonNode> mapping = ms.next();
            map(m, mapping.getKey(), mapping.getValue().asText());
          }
        }
        case "default" -> newFallback = entry.getValue().asText();
        default -> throw new IllegalArgumentException(
            "profiles file: unknown key '" + entry.getKey() + "'; expected profiles, models, default");
      }
    }
    m.addAll(mappings);
    for (Mapping mapping : m) {
      if (!p.containsKey(mapping.profile())) {
        throw new IllegalArgumentException(
            "profiles file: models." + mapping.glob() + " names unknown profile '"
                + mapping.profile() + "'");
      }
    }
    if (!p.containsKey(newFallback)) {
      throw new IllegalArgumentException(
          "profiles file: default names unknown profile '" + newFallback + "'");
    }
    return new ProfileCatalog(p, m, newFallback);
  }

  /** Returns a catalog whose fallback (for unmapped models) is {@code name}. */
  public ProfileCatalog withDefault(String name) {
    require(name);
    return new ProfileCatalog(profiles, mappings, name);
  }

  /** The profile called {@code name}; throws naming the known ones when there is none. */
  public LatencyProfile require(String name) {
    LatencyProfile profile = profiles.get(name);
    if (profile == null) {
      throw new IllegalArgumentException(
          "unknown latency profile '" + name + "'; known: " + String.join(", ", profiles.keySet()));
    }
    return profile;
  }

  public LatencyProfile get(String name) {
    return profiles.get(name);
  }

  /** The profile for a model: the first mapping whose glob matches, else the default. */
  public LatencyProfile forModel(String model) {
    String key = Objects.requireNonNullElse(model, "");
    LatencyProfile cached = byModel.get(key);
    if (cached != null) {
      return cached;
    }
    LatencyProfile profile = match(key);
    // Model names come from clients: cache a bounded number so odd names cannot grow it forever.
    if (byModel.size() < MAX_CACHED_MODELS) {
      byModel.put(key, profile);
    }
    return profile;
  }

  private LatencyProfile match(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    for (Mapping mapping : mappings) {
      if (mapping.pattern().matcher(m).matches()) {
        return profiles.get(mapping.profile());
      }
    }
    return profiles.get(fallback);
  }

  public Map<String, LatencyProfile> profiles() {
    return profiles;
  }

  public String defaultProfile() {
    return fallback;
  }

  private static void add(
      Map<String, LatencyProfile> p, String name, double ttftP50, double ttftP90,
      double prefillMsPerK, double tokensPerSecond, int tokensPerChunk) {
    double gap = 1000.0 / tokensPerSecond * tokensPerChunk;
    p.put(
        name,
        new LatencyProfile(
            name,
            Distribution.lognormal(ttftP50, ttftP90),
            prefillMsPerK,
            Distribution.lognormal(gap, gap * 2),
            DEFAULT_OUTPUT_TOKENS,
            tokensPerChunk == 1
                ? Distribution.constant(1)
                : Distribution.lognormal(tokensPerChunk, tokensPerChunk * 2)));
  }

  private static void map(List<Mapping> m, String glob, String profile) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    m.add(new Mapping(glob, Pattern.compile(regex.toString()), profile));
  }
}
