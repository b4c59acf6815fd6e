package io.llmsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.api.ApiKeys;
import io.llmsim.core.fault.Fault;
import io.llmsim.core.fault.FaultKind;
import io.llmsim.core.fault.FaultRule;
import io.llmsim.core.fault.Glob;
import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.mode.SimulationModeException;
import io.llmsim.core.ratelimit.RateLimit;
import io.llmsim.core.ratelimit.RateLimits;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The config file's {@code faults:} rules and {@code rate-limits:} section, and the
 * {@code header-faults} list. Problems are added to a list, each naming the file and the key path
 * ({@code config.yaml: faults[2].fault-rate: ...}), so one run reports them all.
 */
final class ChaosConfig {
  private static final Set<String> RULE_KEYS =
      Set.of("match", "fault", "fault-rate", "after", "retry-after", "hang");
  private static final Set<String> MATCH_KEYS =
      Set.of("model", "path", "api-key", "api-key-sha256", "provider");
  private static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "gemini", "azure");
  private static final Set<String> LIMIT_KEYS = Set.of("enabled", "rpm", "tpm", "models");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  /** A parameter value must be one token of the header grammar. */
  private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.\\-]+");

  private ChaosConfig() {}

  /** The faults a header may choose: fault tokens, or {@code all} / {@code none}. */
  static Set<FaultKind> headerFaults(List<String> tokens) {
    Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
    for (String token : tokens) {
      String t = token.trim().toLowerCase(Locale.ROOT);
      if (t.equals("all")) {
        kinds.addAll(EnumSet.allOf(FaultKind.class));
        continue;
      }
      if (t.equals("none")) {
        continue;
      }
      FaultKind kind = FaultKind.fromToken(t);
      if (kind == null) {
        throw new IllegalArgumentException("unknown fault '" + token.trim() + "'; expected all,"
            + " none or some of " + FaultKind.tokens());
      }
      kinds.add(kind);
    }
    return kinds;
  }

  /** The rules of a {@code faults:} list; {@code where} is {@code config.yaml: faults}. */
  static List<FaultRule> rules(JsonNode node, String where, List<String> problems) {
    List<FaultRule> rules = new ArrayList<>();
    if (!node.isArray()) {
      problems.add(where + ": expected a list of rules, got " + ConfigLoader.kind(node));
      return rules;
    }
    for (int i = 0; i < node.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode rule = node.get(i);
      if (!rule.isObject()) {
        problems.add(at + ": expected a mapping (match, fault, fault-rate, ...), got "
            + ConfigLoader.kind(rule));
        continue;
      }
      try {
        rules.add(rule(rule, at));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return rules;
  }

  private static FaultRule rule(JsonNode rule, String at) {
    unknownKeys(rule, RULE_KEYS, at);
    JsonNode faultNode = rule.get("fault");
    if (faultNode == null) {
      throw new IllegalArgumentException(at + ": missing key 'fault'");
    }
    StringBuilder header = new StringBuilder("synthesize");
    for (String name : List.of("fault", "fault-rate", "after", "retry-after", "hang")) {
      JsonNode value = rule.get(name);
      if (value == null) {
        continue;
      }
      if (!value.isValueNode() || !PLAIN_VALUE.matcher(value.asText()).matches()) {
        throw new IllegalArgumentException(at + "." + name + ": expected a plain value, got "
            + ConfigLoader.kind(value));
      }
      header.append("; ").append(name).append('=').append(value.asText());
    }
    Fault fault;
    try {
      fault = Fault.from(SimulationMode.parse(header.toString()));
    } catch (SimulationModeException e) {
      // The header's wording, about the config's key instead.
      String message = e.getMessage().replaceFirst("^x-simulation-mode: ", "");
      String key = message.startsWith("unknown fault") ? "fault"
          : message.split(" ", 2)[0];
      throw new IllegalArgumentException(at + "." + key + ": " + message, e);
    }
    Glob model = null;
    Glob path = null;
    String keyHash = null;
    String provider = null;
    JsonNode match = rule.get("match");
    if (match != null) {
      String m = at + ".match";
      if (!match.isObject()) {
        throw new IllegalArgumentException(m + ": expected a mapping (model, path, api-key,"
            + " provider), got " + ConfigLoader.kind(match));
      }
      unknownKeys(match, MATCH_KEYS, m);
      model = glob(match, "model", m);
      path = glob(match, "path", m);
      String key = text(match, "api-key", m);
      String hash = text(match, "api-key-sha256", m);
      if (key != null && hash != null) {
        throw new IllegalArgumentException(m + ": give api-key or api-key-sha256, not both");
      }
      if (hash != null && !SHA256_HEX.matcher(hash.toLowerCase(Locale.ROOT)).matches()) {
        throw new IllegalArgumentException(m + ".api-key-sha256: expected 64 hex digits");
      }
      // Hashed at once: the key in clear is not kept past loading.
      keyHash = key != null ? ApiKeys.hash(key)
          : hash != null ? hash.toLowerCase(Locale.ROOT) : null;
      provider = text(match, "provider", m);
      if (provider != null && !PROVIDERS.contains(provider.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(m + ".provider: unknown provider '" + provider
            + "'; expected openai, anthropic, gemini or azure");
      }
      provider = provider == null ? null : provider.toLowerCase(Locale.ROOT);
    }
    return new FaultRule(model, path, keyHash, provider, fault);
  }

  /** The {@code rate-limits:} section; {@code where} is {@code config.yaml: rate-limits}. */
  static RateLimits rateLimits(JsonNode node, String where, List<String> problems) {
    if (!node.isObject()) {
      problems.add(where + ": expected a mapping (enabled, rpm, tpm, models), got "
          + ConfigLoader.kind(node));
      return RateLimits.OFF;
    }
    try {
      unknownKeys(node, LIMIT_KEYS, where);
      JsonNode enabledNode = node.get("enabled");
      if (enabledNode != null && !enabledNode.isBoolean()) {
        throw new IllegalArgumentException(where + ".enabled: expected true or false, got "
            + ConfigLoader.kind(enabledNode));
      }
      // A section that is there means "on", unless it says otherwise.
      boolean enabled = enabledNode == null || enabledNode.asBoolean();
      RateLimit defaults = limit(node, where);
      List<RateLimits.ModelLimit> models = new ArrayList<>();
      JsonNode modelsNode = node.get("models");
      if (modelsNode != null) {
        if (!modelsNode.isObject()) {
          throw new IllegalArgumentException(where + ".models: expected a mapping of model"
              + " glob to {rpm, tpm}, got " + ConfigLoader.kind(modelsNode));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = modelsNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          String m = where + ".models." + entry.getKey();
          if (!entry.getValue().isObject()) {
            throw new IllegalArgumentException(m + ": expected a mapping (rpm, tpm), got "
                + ConfigLoader.kind(entry.getValue()));
          }
          unknownKeys(entry.getValue(), Set.of("rpm", "tpm"), m);
          // A model's override leaves what it does not name at the defaults.
          RateLimit own = limit(entry.getValue(), m);
          models.add(new RateLimits.ModelLimit(Glob.of(entry.getKey()), new RateLimit(
              entry.getValue().has("rpm") ? own.requestsPerMinute() : defaults.requestsPerMinute(),
              entry.getValue().has("tpm") ? own.tokensPerMinute() : defaults.tokensPerMinute())));
        }
      }
      return new RateLimits(enabled, defaults, models);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return RateLimits.OFF;
    }
  }

  private static RateLimit limit(JsonNode node, String where) {
    return new RateLimit(whole(node, "rpm", where), whole(node, "tpm", where));
  }

  private static long whole(JsonNode node, String name, String where) {
    JsonNode value = node.get(name);
    if (value == null) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new IllegalArgumentException(where + "." + name
          + ": expected a whole number, 0 or more (0: no limit), got " + ConfigLoader.kind(value));
    }
    return value.asLong();
  }

  private static Glob glob(JsonNode node, String name, String where) {
    String text = text(node, name, where);
    return text == null ? null : Glob.of(text);
  }

  private static String text(JsonNode node, String name, String where) {
    JsonNode value = node.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + name + ": expected a non-empty string, got "
          + ConfigLoader.kind(value));
    }
    return value.asText().trim();
  }

  private static void unknownKeys(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException(where + ": unknown key '" + key + "'; expected "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }
}
