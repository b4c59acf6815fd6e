package io.llmsim.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmsim.core.api.ModeResolver;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.synth.SynthesisSettings;
import io.llmsim.core.fault.FaultKind;
import io.llmsim.core.fault.FaultRule;
import io.llmsim.core.fault.FaultRules;
import io.llmsim.core.ratelimit.RateLimits;
import io.llmsim.proxy.ChaosSettings;
import io.llmsim.proxy.ModeSettings;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.proxy.record.Scope;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.MatchRule;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.store.fixtures.FixtureCache;
import io.llmsim.store.fixtures.FixtureFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the server's config from four layers, first match wins: flags, {@code LLMSIM_*}
 * environment variables, the YAML config file, defaults.
 *
 * <p>Pure: the environment is passed in as a map and nothing is read but the named files, so the
 * layering can be tested without touching the process. Every value of every layer is checked, even
 * one a higher layer overrides, and all problems are reported together as one
 * {@link ConfigException}, each naming its source: {@code --port: ...}, {@code LLMSIM_PORT: ...},
 * {@code config.yaml: port: ...}.
 *
 * <p>Relative paths inside a config file (the {@code profiles} file) are resolved against the
 * config file's directory, so a config works from any working directory; paths from flags and
 * environment are resolved against the working directory, as a shell user expects.
 */
public final class ConfigLoader {
  /** Environment variable naming the config file when {@code --config} is not given. */
  public static final String ENV_CONFIG = "LLMSIM_CONFIG";

  /** Created on first use: with no config file, startup need not pay for the YAML parser. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
        // A key given twice is almost always an editing mistake; Jackson would keep the last one.
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** A value from one layer: where it came from (for messages) and what it is. */
  private record Raw(String where, JsonNode node, boolean fromText, Path baseDir) {}

  /** Keys only a config file can give (structured values): {@code faults}, {@code rate-limits}. */
  private static final List<String> FILE_ONLY_KEYS = List.of("faults", "rate-limits");

  private final List<Map<Setting, Raw>> layers = new ArrayList<>();
  /** The config file's {@link #FILE_ONLY_KEYS}, as {@code where} to value. */
  private final Map<String, Raw> fileOnly = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader() {}

  /** Loads with the config file named by {@code --config}, else {@code LLMSIM_CONFIG}, if any. */
  public static ServerConfig load(ServeOptions flags, Map<String, String> env) {
    return load(flags, env, configPath(flags, env));
  }

  /**
   * Loads from {@code flags}, {@code env} and the config {@code file} (null for none).
   *
   * @throws ConfigException listing every problem found
   */
  public static ServerConfig load(ServeOptions flags, Map<String, String> env, Path file) {
    return new ConfigLoader().run(flags, env, file);
  }

  /** The config file named by {@code --config}, else by {@code LLMSIM_CONFIG}; null if neither. */
  public static Path configPath(ServeOptions flags, Map<String, String> env) {
    String flag = flags.config();
    if (flag != null) {
      return Path.of(flag);
    }
    String fromEnv = env.get(ENV_CONFIG);
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.trim());
  }

  private ServerConfig run(ServeOptions flags, Map<String, String> env, Path file) {
    layers.add(flagLayer(flags));
    layers.add(envLayer(env));
    if (file != null) {
      layers.add(fileLayer(file));
    }
    ServerConfig defaults = ServerConfig.defaults();

    String host = resolve(Setting.HOST, this::text, defaults.host());
    int port = resolve(Setting.PORT, raw -> integer(raw, 0, 65535), defaults.port());
    Mode mode = resolve(Setting.MODE, this::mode, defaults.mode());
    int before = problems.size();
    ProfileCatalog catalog = resolve(Setting.PROFILES, this::profiles, ProfileCatalog.builtIn());
    // An unknown profile name is only worth reporting when the catalog it was looked up in loaded.
    boolean catalogOk = problems.size() == before;
    String profile = resolve(Setting.PROFILE, raw -> profile(raw, catalog, catalogOk), null);
    NamedGenerator generator = resolve(
        Setting.GENERATOR, this::generator, new NamedGenerator("lorem", Generators.lorem()));
    Speed speed = resolve(Setting.SPEED, this::speed, defaults.synthesis().speed());
    int maxRequestBytes =
        resolve(Setting.MAX_REQUEST_SIZE, this::size, defaults.maxRequestBytes());
    Duration idleTimeout = resolve(Setting.IDLE_TIMEOUT, this::duration, defaults.idleTimeout());
    Duration grace = resolve(Setting.SHUTDOWN_GRACE, this::duration, defaults.shutdownGrace());
    int ioThreads = resolve(Setting.IO_THREADS, raw -> integer(raw, 0, 4096), defaults.ioThreads());
    Duration timerTick = resolve(Setting.TIMER_TICK, this::timerTick, defaults.timerTick());
    List<String> models = resolve(Setting.MODELS, this::models, defaults.extraModels());
    Map<String, String> azureDeployments =
        resolve(Setting.AZURE_DEPLOYMENTS, this::azureDeployments, defaults.azureDeployments());
    ModeSettings modes = modes(mode, speed, env);
    ChaosSettings chaos = chaos();

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    try {
      return new ServerConfig(
          host, port, mode, new SynthesisSettings(catalog, generator, profile, speed),
          maxRequestBytes, idleTimeout, grace, ioThreads, models, azureDeployments, modes)
          .withChaos(chaos)
          .withTimerTick(timerTick);
    } catch (IllegalArgumentException e) {
      // The checks above should have caught it; this keeps a new rule in proxy or core from
      // surfacing as a crash.
      throw new ConfigException(List.of(e.getMessage()));
    }
  }

  /** The store, the upstreams and what a header may choose; problems are collected. */
  private ModeSettings modes(Mode mode, Speed speed, Map<String, String> env) {
    Path givenStore = resolve(Setting.STORE, this::path, null);
    int before = problems.size();
    List<Path> fixtures = resolve(Setting.FIXTURES, this::fixtureSets, List.of());
    // Refused sets were still given: the store is then not what replay would have read.
    boolean fixturesGiven = !fixtures.isEmpty() || problems.size() > before;
    // The server opens and locks its store at start-up, so there is one only when it is given or
    // the default mode writes or reads it: a synthesizing or passthrough server, or a replay of
    // fixture sets, never creates (or holds) ~/.llmsim/store.
    boolean replaysStore = mode == Mode.REPLAY && !fixturesGiven;
    Path store = givenStore != null || (mode != Mode.RECORD && !replaysStore) ? givenStore
        : ForwardingConfig.defaultStore();
    String scope = resolve(Setting.SCOPE, this::scope, null);
    if (replaysStore && !Files.isDirectory(store)) {
      // Opening would create it, and every request would miss: most likely a typo.
      problems.add("store: no such directory: " + store + " (replay serves an existing store;"
          + " give --store DIR, LLMSIM_STORE or 'store:' in the config file)");
    }
    Map<String, String> upstreams =
        resolve(Setting.UPSTREAMS, raw -> ForwardingConfig.upstreams(raw.node().isObject()
            ? pairs(raw.node()) : strings(raw)), Map.of());
    List<String> timeouts = resolve(Setting.UPSTREAM_TIMEOUTS, raw -> {
      List<String> entries = strings(raw);
      // Checked now even when no upstream uses them, so a typo is reported today.
      ForwardingConfig.withTimeouts(UpstreamSettings.withDefaults(Map.of()), entries);
      return entries;
    }, List.of());
    List<String> noProxy = resolve(Setting.NO_PROXY, this::strings, List.of());
    var proxy = resolve(Setting.UPSTREAM_PROXY,
        raw -> ForwardingConfig.proxy(text(raw), noProxy, env),
        ForwardingConfig.proxy(null, noProxy, env));
    Path ca = resolve(Setting.UPSTREAM_CA,
        raw -> ForwardingConfig.existingFile(expandHome(text(raw))), null);
    boolean injectKeys = resolve(Setting.INJECT_KEYS, this::bool, false);
    boolean keepIncomplete = resolve(Setting.KEEP_INCOMPLETE, this::bool, false);
    var headerModes = resolve(Setting.HEADER_MODES,
        raw -> ForwardingConfig.modes(strings(raw)), ModeSettings.DEFAULTS.headerModes());
    io.llmsim.store.Redactor redactor = io.llmsim.store.Redactor.builder()
        .headers(resolve(Setting.REDACT_HEADERS, this::strings, List.of()))
        .bodyFields(resolve(Setting.REDACT_FIELDS, this::strings, List.of()))
        .patterns(resolve(Setting.REDACT_PATTERNS, this::strings, List.of()))
        .build();
    ReplaySettings replay = replay(speed, fixtures);
    if (store == null && mode == Mode.REPLAY && replay.onMiss().equals("record")) {
      store = ForwardingConfig.defaultStore(); // replaying fixture sets, recording their misses
    }
    try {
      return ModeSettings.DEFAULTS.withStoreDir(store).withHeaderModes(headerModes)
          .withReplay(replay).withScope(scope).withKeepIncomplete(keepIncomplete)
          .withRedaction(redactor, ModeSettings.DEFAULTS.fingerprint())
          .withUpstreams(ForwardingConfig.settings(mode, upstreams, timeouts, proxy, injectKeys,
              env, ca));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return ModeSettings.DEFAULTS;
    }
  }

  /** Fault rules, their seed, the faults a header may choose, and rate limits. */
  private ChaosSettings chaos() {
    Long seed = resolve(Setting.FAULT_SEED, raw -> {
      JsonNode node = raw.node();
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        return node.asLong();
      }
      try {
        return Long.parseLong(text(raw));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number, got " + kind(node));
      }
    }, null);
    Set<FaultKind> headerFaults = resolve(Setting.HEADER_FAULTS,
        raw -> ChaosConfig.headerFaults(raw.node().isArray() && raw.node().isEmpty()
            ? List.of("none") : strings(raw)),
        EnumSet.allOf(FaultKind.class));
    List<FaultRule> rules = new ArrayList<>();
    RateLimits rateLimits = RateLimits.OFF;
    for (Map.Entry<String, Raw> entry : fileOnly.entrySet()) {
      Raw raw = entry.getValue();
      if (entry.getKey().equals("faults")) {
        rules = ChaosConfig.rules(raw.node(), raw.where(), problems);
      } else {
        rateLimits = ChaosConfig.rateLimits(raw.node(), raw.where(), problems);
      }
    }
    return new ChaosSettings(new FaultRules(rules, seed, headerFaults), rateLimits);
  }

  /** A list of texts: a YAML list, or the values of a repeated flag or comma-separated variable. */
  private List<String> strings(Raw raw) {
    JsonNode node = raw.node();
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected a list, got " + kind(node));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isValueNode()) {
        throw new IllegalArgumentException("expected plain values in the list, got " + kind(item));
      }
      if (!item.asText().isBlank()) {
        out.add(item.asText().trim());
      }
    }
    return out;
  }

  /** A YAML mapping as {@code key=value} texts. */
  private static List<String> pairs(JsonNode mapping) {
    List<String> out = new ArrayList<>();
    mapping.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out;
  }

  private static String expandHome(String path) {
    return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
  }

  // ---- layers -----------------------------------------------------------------------------

  private static Map<Setting, Raw> flagLayer(ServeOptions flags) {
    Map<Setting, Raw> layer = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      if (s.isList()) {
        if (!flags.list(s).isEmpty()) {
          layer.put(s, new Raw(s.flag(), textArray(flags.list(s)), true, null));
        }
      } else if (flags.get(s) != null) {
        layer.put(s, new Raw(s.flag(), TextNode.valueOf(flags.get(s)), true, null));
      }
    }
    return layer;
  }

  private static Map<Setting, Raw> envLayer(Map<String, String> env) {
    Map<Setting, Raw> layer = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      String value = env.get(s.env());
      // Blank counts as unset: compose files and CI templates often leave a variable empty.
      if (value == null || value.isBlank()) {
        continue;
      }
      JsonNode node = s.isList()
          ? textArray(List.of(value.split(",", -1)))
          : TextNode.valueOf(value.trim());
      layer.put(s, new Raw(s.env(), node, true, null));
    }
    return layer;
  }

  private Map<Setting, Raw> fileLayer(Path file) {
    Map<Setting, Raw> layer = new EnumMap<>(Setting.class);
    JsonNode root = readYaml(file, file.toString());
    if (root == null) {
      return layer;
    }
    if (!root.isObject()) {
      problems.add(file + ": expected a mapping of settings (key: value) at the top level, got "
          + kind(root));
      return layer;
    }
    Path baseDir = file.toAbsolutePath().getParent();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (FILE_ONLY_KEYS.contains(entry.getKey())) {
        fileOnly.put(entry.getKey(),
            new Raw(file + ": " + entry.getKey(), entry.getValue(), false, baseDir));
        continue;
      }
      Setting setting = Setting.forKey(entry.getKey()).orElse(null);
      if (setting == null) {
        String hint = Setting.suggest(entry.getKey())
            .map(k -> " (did you mean '" + k + "'?)")
            .orElse("; known keys: " + knownKeys());
        problems.add(file + ": unknown key '" + entry.getKey() + "'" + hint);
        continue;
      }
      layer.put(setting, new Raw(file + ": " + setting.key(), entry.getValue(), false, baseDir));
    }
    return layer;
  }

  /**
   * Reads a YAML file; null (with a problem recorded) when it cannot be read or parsed, and also
   * null for an empty file, which is a valid config meaning "all defaults".
   */
  private JsonNode readYaml(Path file, String label) {
    String content;
    try {
      content = Files.readString(file);
    } catch (NoSuchFileException e) {
      problems.add(label + ": no such file");
      return null;
    } catch (AccessDeniedException e) {
      problems.add(label + ": permission denied");
      return null;
    } catch (IOException e) {
      problems.add(label + ": cannot read: " + e.getMessage());
      return null;
    }
    try {
      JsonNode node = Yaml.MAPPER.readTree(content);
      return node == null || node.isMissingNode() || node.isNull() ? null : node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why = e.getOriginalMessage().lines().findFirst().orElse("").trim();
      problems.add(label + ": invalid YAML" + where + ": " + why);
      return null;
    }
  }

  // ---- resolution -------------------------------------------------------------------------

  private interface Parser<T> {
    T parse(Raw raw);
  }

  /**
   * Parses the setting in every layer that has it (so a bad value is reported even when a higher
   * layer overrides it) and returns the highest layer's value, or {@code fallback}.
   */
  private <T> T resolve(Setting setting, Parser<T> parser, T fallback) {
    T chosen = null;
    boolean found = false;
    for (Map<Setting, Raw> layer : layers) {
      Raw raw = layer.get(setting);
      if (raw == null) {
        continue;
      }
      try {
        T value = parser.parse(raw);
        if (!found) {
          chosen = value;
        }
      } catch (IllegalArgumentException e) {
        problems.add(raw.where() + ": " + e.getMessage());
      }
      found = true;
    }
    return found && chosen != null ? chosen : fallback;
  }

  // ---- value parsers ----------------------------------------------------------------------

  private String text(Raw raw) {
    if (!raw.node().isTextual()) {
      throw new IllegalArgumentException("expected a string, got " + kind(raw.node()));
    }
    String value = raw.node().asText().trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return value;
  }

  private int integer(Raw raw, int min, int max) {
    JsonNode node = raw.node();
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.asLong();
    } else if (raw.fromText() && node.isTextual()) {
      try {
        value = Long.parseLong(node.asText().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected an integer, got '" + node.asText() + "'");
      }
    } else {
      throw new IllegalArgumentException("expected an integer, got " + kind(node));
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "must be between " + min + " and " + max + ", got " + value);
    }
    return (int) value;
  }

  private Mode mode(Raw raw) {
    String token = text(raw).toLowerCase(Locale.ROOT);
    Mode mode = Mode.fromToken(token);
    if (mode == null) {
      throw new IllegalArgumentException(
          "unknown mode '" + token + "'; expected synthesize, replay, record or passthrough");
    }
    return mode;
  }

  /**
   * How replay serves the store. Replay shares {@code speed} with synthesis: one knob divides
   * every delay, whichever mode made it.
   */
  private ReplaySettings replay(Speed speed, List<Path> fixtures) {
    ReplaySettings defaults = ReplaySettings.DEFAULTS;
    String onMiss = resolve(Setting.ON_MISS, this::onMiss, defaults.onMiss());
    boolean strict = resolve(Setting.STRICT, this::bool, defaults.strict());
    boolean incomplete =
        resolve(Setting.INCLUDE_INCOMPLETE, this::bool, defaults.includeIncomplete());
    boolean loose = resolve(Setting.MATCH, raw -> {
      String value = text(raw).toLowerCase(Locale.ROOT);
      if (!value.equals("exact") && !value.equals("loose")) {
        throw new IllegalArgumentException("expected exact or loose, got '" + value + "'");
      }
      return value.equals("loose");
    }, false);
    MatchRule match = resolve(Setting.MATCH_IGNORE, raw -> {
      if (loose) {
        throw new IllegalArgumentException("applies to exact matching; --match is loose");
      }
      try {
        return MatchRule.ignoring(strings(raw));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a JSON pointer: " + e.getMessage(), e);
      }
    }, loose ? MatchRule.loose() : null);
    Path fixtureCache = resolve(Setting.CACHE_DIR, this::path, defaults.fixtureCache());
    return new ReplaySettings(speed, onMiss, strict, incomplete, fixtures, match, fixtureCache);
  }

  /** A path; one from a config file is relative to the file's directory. */
  private Path path(Raw raw) {
    Path path = Path.of(expandHome(text(raw)));
    return raw.baseDir() == null ? path : raw.baseDir().resolve(path).normalize();
  }

  /** Fixture set directories, each checked against its manifest now, so a start fails early. */
  private List<Path> fixtureSets(Raw raw) {
    List<Path> sets = new ArrayList<>();
    for (String text : strings(raw)) {
      Path set = Path.of(expandHome(text));
      sets.add(raw.baseDir() == null ? set : raw.baseDir().resolve(set).normalize());
    }
    try {
      FixtureCache.key(sets);
    } catch (FixtureFormatException e) {
      throw new IllegalArgumentException("fixture set refused: " + e.getMessage());
    }
    return sets;
  }

  private String scope(Raw raw) {
    String name = text(raw);
    String problem = Scope.problem(name);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return name;
  }

  private String onMiss(Raw raw) {
    String value = text(raw).toLowerCase(Locale.ROOT);
    if (!ModeResolver.ON_MISS.contains(value)) {
      throw new IllegalArgumentException("unknown on-miss '" + value + "'; expected "
          + String.join(", ", ModeResolver.ON_MISS));
    }
    return value;
  }

  private boolean bool(Raw raw) {
    JsonNode node = raw.node();
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    String value = node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : null;
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException("expected true or false, got " + kind(node));
  }

  private String profile(Raw raw, ProfileCatalog catalog, boolean check) {
    String name = text(raw);
    if (check) {
      catalog.require(name);
    }
    return name;
  }

  /** A profiles file path, or (in a config file) an inline mapping in the same format. */
  private ProfileCatalog profiles(Raw raw) {
    JsonNode node = raw.node();
    if (!raw.fromText() && node.isObject()) {
      try {
        return ProfileCatalog.builtIn().with(node);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(withoutCorePrefix(e), e);
      }
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException(
          "expected a profiles file path or a mapping of profiles, got " + kind(node));
    }
    Path path = Path.of(text(raw));
    if (raw.baseDir() != null) {
      path = raw.baseDir().resolve(path).normalize();
    }
    int before = problems.size();
    JsonNode file = readYaml(path, raw.where() + ": " + path);
    if (problems.size() > before) {
      // The read problem is already recorded, with the path; nothing more to say here.
      return ProfileCatalog.builtIn();
    }
    if (file == null) {
      return ProfileCatalog.builtIn();
    }
    try {
      return ProfileCatalog.builtIn().with(file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + withoutCorePrefix(e), e);
    }
  }

  /** Core says "profiles file: ..."; the caller names the file (or the inline key) better. */
  private static String withoutCorePrefix(IllegalArgumentException e) {
    return String.valueOf(e.getMessage()).replaceFirst("^profiles file: ", "");
  }

  private NamedGenerator generator(Raw raw) {
    if (!raw.node().isTextual()) {
      throw new IllegalArgumentException("expected a string, got " + kind(raw.node()));
    }
    String spec = raw.node().asText();
    if (spec.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    // Not trimmed: the text of fixed:TEXT may start or end with a space on purpose.
    return new NamedGenerator(spec, Generators.parse(spec));
  }

  private Speed speed(Raw raw) {
    JsonNode node = raw.node();
    if (!node.isTextual() && !node.isNumber()) {
      throw new IllegalArgumentException("expected a speed such as 2x or max, got " + kind(node));
    }
    return Speed.parse(node.asText());
  }

  private int size(Raw raw) {
    JsonNode node = raw.node();
    if (!node.isTextual() && !node.isIntegralNumber()) {
      throw new IllegalArgumentException("expected a size such as 8MB, got " + kind(node));
    }
    int bytes = Units.parseSize(node.asText());
    if (bytes < 1024) {
      throw new IllegalArgumentException("must be at least 1KB (1024 bytes), got " + bytes);
    }
    return bytes;
  }

  private Duration duration(Raw raw) {
    JsonNode node = raw.node();
    if (!node.isTextual() && !node.isNumber()) {
      throw new IllegalArgumentException("expected a duration such as 30s, got " + kind(node));
    }
    return Units.parseDuration(node.asText());
  }

  private Duration timerTick(Raw raw) {
    Duration tick = duration(raw);
    if (tick.compareTo(ServerConfig.MAX_TIMER_TICK) > 0) {
      throw new IllegalArgumentException(
          "at most " + Units.format(ServerConfig.MAX_TIMER_TICK) + ", or it changes the timing"
              + " a profile or a recording asks for; got '" + raw.node().asText() + "'");
    }
    return tick;
  }

  private List<String> models(Raw raw) {
    JsonNode node = raw.node();
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected a list of model ids, got " + kind(node));
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException("expected model ids (strings), got " + kind(item));
      }
      String id = item.asText().trim();
      if (id.isEmpty()) {
        throw new IllegalArgumentException("a model id must not be empty");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  /**
   * Deployment name to model: from flags and environment a list of {@code NAME=MODEL} texts, in a
   * config file a mapping {@code name: model}. A layer's mapping replaces a lower layer's whole, as
   * the models list does, so a flag can narrow what the file allows.
   */
  private Map<String, String> azureDeployments(Raw raw) {
    JsonNode node = raw.node();
    Map<String, String> deployments = new LinkedHashMap<>();
    if (raw.fromText()) {
      for (JsonNode item : node) {
        String entry = item.asText().trim();
        int eq = entry.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              "expected NAME=MODEL, such as prod-chat=gpt-4o; got '" + entry + "'");
        }
        putDeployment(deployments, entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
      }
      return deployments;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "expected a mapping of deployment name to model (name: model), got " + kind(node));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new IllegalArgumentException("deployment '" + entry.getKey()
            + "': expected a model id (string), got " + kind(entry.getValue()));
      }
      putDeployment(deployments, entry.getKey().trim(), entry.getValue().asText().trim());
    }
    return deployments;
  }

  private static void putDeployment(Map<String, String> deployments, String name, String model) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a deployment name must not be empty");
    }
    if (model.isEmpty()) {
      throw new IllegalArgumentException("deployment '" + name + "': model must not be empty");
    }
    // Two models for one deployment is a mistake whichever wins; the same pair twice is harmless.
    String before = deployments.putIfAbsent(name, model);
    if (before != null && !before.equals(model)) {
      throw new IllegalArgumentException("deployment '" + name + "' is mapped to both '" + before
          + "' and '" + model + "'");
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static ArrayNode textArray(List<String> values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }

  static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "the string '" + node.asText() + "'";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return "the boolean " + node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.isNull()
        ? "nothing (null)"
        : node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static String knownKeys() {
    List<String> keys = new ArrayList<>();
    for (Setting s : Setting.values()) {
      keys.add(s.key());
    }
    keys.addAll(FILE_ONLY_KEYS);
    return String.join(", ", keys);
  }
}
