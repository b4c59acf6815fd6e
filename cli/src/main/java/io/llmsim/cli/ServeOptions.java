package io.llmsim.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags of {@code llmsim serve}, kept as the raw text the user typed: {@link ConfigLoader}
 * parses flags, environment and file with the same code, so every bad value gets the same kind of
 * message naming where it came from. An option left out is null, which is how the loader knows to
 * fall back to the environment, the file, then the default.
 */
public final class ServeOptions {
  // Defaults as shown in help. ServeCommandTest checks they match ServerConfig.defaults().
  static final String DEFAULT_HOST = "127.0.0.1";
  static final String DEFAULT_PORT = "8080";
  static final String DEFAULT_MAX_REQUEST_SIZE = "8MB";
  static final String DEFAULT_IDLE_TIMEOUT = "2m";
  static final String DEFAULT_SHUTDOWN_GRACE = "30s";
  static final String DEFAULT_TIMER_TICK = "1ms";

  @Option(names = "--host", paramLabel = "HOST", order = 1, description = {
      "Address to listen on; 0.0.0.0 listens on every interface.",
      "Default: " + DEFAULT_HOST + ". Env: LLMSIM_HOST."})
  String host;

  @Option(names = "--port", paramLabel = "PORT", order = 2, description = {
      "TCP port to listen on; 0 picks a free one.",
      "Default: " + DEFAULT_PORT + ". Env: LLMSIM_PORT."})
  String port;

  @Option(names = "--mode", paramLabel = "MODE", order = 3, description = {
      "Answer mode for requests without an x-simulation-mode header: "
          + "synthesize, or replay (needs --store or --fixtures).",
      "Default: synthesize. Env: LLMSIM_MODE."})
  String mode;

  @Option(names = "--config", paramLabel = "FILE", order = 4, description = {
      "YAML config file. Its keys mirror these options: host, port, mode, "
          + "profile, profiles, generator, speed, max-request-size, idle-timeout, "
          + "shutdown-grace, io-threads, timer-tick, models (a list), azure-deployments (a "
          + "mapping of deployment name to model), store, keep-incomplete, on-miss, strict, "
          + "include-incomplete, fixtures (a list), cache-dir, scope, match, match-ignore (a "
          + "list), and, in the file only, faults (fault rules) and rate-limits.",
      "Default: none. Env: LLMSIM_CONFIG."})
  String config;

  @Option(names = "--profile", paramLabel = "NAME", order = 5, description = {
      "Latency profile for every model, instead of choosing one by model "
          + "name. Built in: openai-gpt-4o, openai-mini, openai-reasoning, "
          + "azure-openai, anthropic-sonnet, anthropic-haiku, anthropic-opus, "
          + "gemini-flash, gemini-pro, fast and instant (for tests).",
      "Default: by model. Env: LLMSIM_PROFILE."})
  String profile;

  @Option(names = "--profiles", paramLabel = "FILE", order = 6, description = {
      "YAML file of latency profiles and model-to-profile mappings, layered "
          + "over the built-in ones (keys: profiles, models, default).",
      "Default: built-in only. Env: LLMSIM_PROFILES."})
  String profiles;

  @Option(names = "--generator", paramLabel = "SPEC", order = 7, description = {
      "Text of synthesized answers: lorem; echo (the last user message); "
          + "fixed:TEXT; sequence:A|B|C (one text per answer, in turn).",
      "Default: lorem. Env: LLMSIM_GENERATOR."})
  String generator;

  @Option(names = "--speed", paramLabel = "F", order = 8, description = {
      "Divides every delay: 2 or 2x is twice as fast, 0.5x half as fast, max "
          + "sends with no delay at all.",
      "Default: 1x. Env: LLMSIM_SPEED."})
  String speed;

  @Option(names = "--max-request-size", paramLabel = "SIZE", order = 9, description = {
      "Largest request body accepted; a larger one gets 413. Bytes, or with a "
          + "KB, MB or GB suffix (1KB = 1024 bytes).",
      "Default: " + DEFAULT_MAX_REQUEST_SIZE + ". Env: LLMSIM_MAX_REQUEST_SIZE."})
  String maxRequestSize;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", order = 10, description = {
      "Close a connection after this long with no request or answer in "
          + "flight, such as 500ms, 30s or 2m; 0 never closes it.",
      "Default: " + DEFAULT_IDLE_TIMEOUT + ". Env: LLMSIM_IDLE_TIMEOUT."})
  String idleTimeout;

  @Option(names = "--shutdown-grace", paramLabel = "DURATION", order = 11, description = {
      "On stop (Ctrl-C, SIGTERM), how long answers in flight may run on "
          + "before their connections are closed; 0 closes them at once.",
      "Default: " + DEFAULT_SHUTDOWN_GRACE + ". Env: LLMSIM_SHUTDOWN_GRACE."})
  String shutdownGrace;

  @Option(names = "--io-threads", paramLabel = "N", order = 12, description = {
      "Event-loop threads; 0 means one per CPU core.",
      "Default: 0. Env: LLMSIM_IO_THREADS."})
  String ioThreads;

  @Option(names = "--timer-tick", paramLabel = "DURATION", order = 13, description = {
      "Timed writes (tokens, replayed chunks) go out at the first tick of this grid "
          + "at or after their deadline, never before it, so that many streams share "
          + "one wake-up; 0 writes each at its own deadline, at more CPU. At most 100ms.",
      "Default: " + DEFAULT_TIMER_TICK + ". Env: LLMSIM_TIMER_TICK."})
  String timerTick;

  @Option(names = "--model", paramLabel = "ID", split = ",", order = 14, description = {
      "Extra model id listed by GET /v1/models beside the built-in ones; "
          + "repeat the option or separate ids with commas.",
      "Default: none. Env: LLMSIM_MODELS (comma-separated)."})
  List<String> models = new ArrayList<>();

  // Kept as raw NAME=MODEL text rather than a picocli Map so ConfigLoader reports a bad entry the
  // same way whether it came from a flag, the environment or the file.
  @Option(names = "--azure-deployment", paramLabel = "NAME=MODEL", split = ",", order = 15,
      description = {
          "Azure OpenAI deployment NAME served as MODEL; repeat the option or "
              + "separate entries with commas, as in the variable. With none, a "
              + "deployment's name is its model; with any, an unlisted deployment "
              + "gets 404 DeploymentNotFound.",
          "Default: none. Env: LLMSIM_AZURE_DEPLOYMENTS."})
  List<String> azureDeployments = new ArrayList<>();

  @Option(names = "--store", paramLabel = "DIR", order = 20, description = {
      "The exchange store (RocksDB) that record writes and replay reads; opened and locked "
          + "at start-up. Without it, record and replay use ~/.llmsim/store (replay of "
          + "--fixtures uses none), and other modes have no store.",
      "Env: LLMSIM_STORE."})
  String store;

  @Option(names = "--upstream", paramLabel = "[PROVIDER=]URL", split = ",", order = 21,
      description = {
          "Where record and passthrough forward: PROVIDER (openai, anthropic, gemini, azure) to "
              + "URL, or a bare URL for every provider. Unlisted providers use their public "
              + "API (Azure has none: give its resource URL). Record and passthrough are "
              + "available only with an upstream, or in --mode record/passthrough.",
          "Env: LLMSIM_UPSTREAMS."})
  List<String> upstreams = new ArrayList<>();

  @Option(names = "--upstream-proxy", paramLabel = "URL", order = 22, description = {
      "Reach upstreams through this proxy: http://[user:pass@]host:port (CONNECT) or "
          + "socks5://host:port.",
      "Default: HTTPS_PROXY (or https_proxy, ALL_PROXY). Env: LLMSIM_UPSTREAM_PROXY."})
  String upstreamProxy;

  @Option(names = "--no-proxy", paramLabel = "HOST", split = ",", order = 23, description = {
      "Hosts or domain suffixes reached directly, not through the proxy.",
      "Default: NO_PROXY. Env: LLMSIM_NO_PROXY."})
  List<String> noProxy = new ArrayList<>();

  @Option(names = "--upstream-ca", paramLabel = "PEM", order = 24, description = {
      "Also trust these CA certificates for upstream TLS (a TLS-inspecting corporate proxy, a "
          + "private gateway). Host names are verified either way.",
      "Env: LLMSIM_UPSTREAM_CA."})
  String upstreamCa;

  @Option(names = "--upstream-timeout", paramLabel = "PHASE=DURATION", split = ",", order = 25,
      description = {
          "Upstream timeouts: connect (10s), first-byte (10m: reasoning models think before "
              + "answering), idle between chunks (5m), total (30m); PROVIDER.PHASE=DURATION sets "
              + "one provider's.",
          "Env: LLMSIM_UPSTREAM_TIMEOUTS."})
  List<String> upstreamTimeouts = new ArrayList<>();

  @Option(names = "--inject-keys", paramLabel = "BOOL", order = 26, arity = "0..1",
      fallbackValue = "true", description = {
          "Replace the client's credentials with OPENAI_API_KEY, ANTHROPIC_API_KEY, "
              + "GEMINI_API_KEY (or GOOGLE_API_KEY), AZURE_OPENAI_API_KEY from the environment, "
              + "so clients can carry a placeholder.",
          "Default: false. Env: LLMSIM_INJECT_KEYS."})
  String injectKeys;

  @Option(names = "--header-modes", paramLabel = "MODE", split = ",", order = 27, description = {
      "Modes a request may choose with x-simulation-mode (a CI sidecar might allow only "
          + "synthesize,replay).",
      "Default: all. Env: LLMSIM_HEADER_MODES."})
  List<String> headerModes = new ArrayList<>();

  @Option(names = "--redact-header", paramLabel = "NAME", split = ",", order = 28, description = {
      "More header names whose values are never stored (authorization, x-api-key, api-key, "
          + "x-goog-api-key, cookie, set-cookie, proxy-authorization always are).",
      "Env: LLMSIM_REDACT_HEADERS."})
  List<String> redactHeaders = new ArrayList<>();

  @Option(names = "--redact-field", paramLabel = "POINTER", split = ",", order = 29,
      description = {"JSON pointers of request body fields never stored, e.g. /user.",
          "Env: LLMSIM_REDACT_FIELDS."})
  List<String> redactFields = new ArrayList<>();

  @Option(names = "--redact-pattern", paramLabel = "REGEX", order = 30, description = {
      "More secret-looking text to redact wherever it appears (sk-..., AIza..., Bearer tokens "
          + "always are).",
      "Env: LLMSIM_REDACT_PATTERNS (comma-separated)."})
  List<String> redactPatterns = new ArrayList<>();

  @Option(names = "--on-miss", paramLabel = "ACTION", order = 31, description = {
      "What replay answers a request without a recording: error (a 404 naming "
          + "the nearest recordings), synthesize, passthrough or record (these two "
          + "need an upstream).",
      "Default: error. Env: LLMSIM_ON_MISS."})
  String onMiss;

  // Booleans stay null when the flag is absent, so the environment and the file can decide.
  @Option(names = "--strict", order = 32, description = {
      "Replay: report requests without a recording and recordings never used, at "
          + "GET /llmsim/replay/report and on shutdown.",
      "Default: false. Env: LLMSIM_STRICT."})
  Boolean strict;

  @Option(names = "--keep-incomplete", order = 33, description = {
      "Store recordings that were cut short (the client or the upstream went away before the "
          + "end) too; by default they are discarded and counted in /metrics.",
      "Default: false. Env: LLMSIM_KEEP_INCOMPLETE."})
  Boolean keepIncomplete;

  @Option(names = "--include-incomplete", order = 33, description = {
      "Replay recordings that were cut short too, ending as they did.",
      "Default: false. Env: LLMSIM_INCLUDE_INCOMPLETE."})
  Boolean includeIncomplete;

  @Option(names = "--fault-seed", paramLabel = "N", order = 34, description = {
      "Seed of the config file's fault rules: the same requests, in the same order, get the "
          + "same faults on every run.",
      "Default: random draws. Env: LLMSIM_FAULT_SEED."})
  String faultSeed;

  @Option(names = "--header-faults", paramLabel = "FAULT", split = ",", order = 35,
      description = {"Faults a request may ask for with x-simulation-mode (all, none, or "
          + "fault names); any other gets a 400.",
          "Default: all. Env: LLMSIM_HEADER_FAULTS."})
  List<String> headerFaults = new ArrayList<>();

  @Option(names = "--fixtures", paramLabel = "PATH", split = ",", order = 36, description = {
      "Replay these fixture sets (directories with a manifest.json) instead of the store; "
          + "repeat the option for several. They are imported once into a store under "
          + "--cache-dir, keyed by their content hashes; recording still writes to --store.",
      "Default: none. Env: LLMSIM_FIXTURES (comma-separated)."})
  List<String> fixtures = new ArrayList<>();

  @Option(names = "--cache-dir", paramLabel = "DIR", order = 36, description = {
      "Where the stores built from --fixtures sets are kept; several llmsim processes may "
          + "share one (a CI runner's parallel jobs).",
      "Default: fixture-cache/ beside --store (~/.llmsim/fixture-cache). "
          + "Env: LLMSIM_CACHE_DIR."})
  String cacheDir;

  @Option(names = "--scope", paramLabel = "NAME", order = 37, description = {
      "Scope of requests without an x-llmsim-scope header: recordings go into, and replay "
          + "comes from, this named set (tagged scope:NAME). 1 to 128 of A-Z a-z 0-9 . _ / -.",
      "Default: none. Env: LLMSIM_SCOPE."})
  String scope;

  @Option(names = "--match", paramLabel = "exact|loose", order = 38, description = {
      "How replay matches a request to recordings: exact (the fingerprint: endpoint, model, "
          + "messages, tools and the parameters that change an answer) or loose (endpoint, "
          + "model and the last user message only).",
      "Default: exact. Env: LLMSIM_MATCH."})
  String match;

  @Option(names = "--match-ignore", paramLabel = "POINTER", split = ",", order = 39,
      description = {"More request fields exact matching leaves out, as JSON pointers "
          + "(/temperature, /metadata/run).",
          "Default: none. Env: LLMSIM_MATCH_IGNORE."})
  List<String> matchIgnore = new ArrayList<>();

  /** No flags given: every setting comes from the environment, the file or the default. */
  public static ServeOptions none() {
    return new ServeOptions();
  }

  /** Parses serve flags alone, as the {@code serve} command would; for tests and tools. */
  public static ServeOptions parse(String... args) {
    return CommandLine.populateCommand(new ServeOptions(), args);
  }

  /** The raw flag text for a single-valued setting, or null when the flag was not given. */
  String get(Setting setting) {
    return switch (setting) {
      case HOST -> host;
      case PORT -> port;
      case MODE -> mode;
      case PROFILE -> profile;
      case PROFILES -> profiles;
      case GENERATOR -> generator;
      case SPEED -> speed;
      case MAX_REQUEST_SIZE -> maxRequestSize;
      case IDLE_TIMEOUT -> idleTimeout;
      case SHUTDOWN_GRACE -> shutdownGrace;
      case IO_THREADS -> ioThreads;
      case TIMER_TICK -> timerTick;
      case STORE -> store;
      case UPSTREAM_PROXY -> upstreamProxy;
      case UPSTREAM_CA -> upstreamCa;
      case INJECT_KEYS -> injectKeys;
      case ON_MISS -> onMiss;
      case STRICT -> strict == null ? null : strict.toString();
      case KEEP_INCOMPLETE -> keepIncomplete == null ? null : keepIncomplete.toString();
      case INCLUDE_INCOMPLETE -> includeIncomplete == null ? null : includeIncomplete.toString();
      case FAULT_SEED -> faultSeed;
      case SCOPE -> scope;
      case MATCH -> match;
      case CACHE_DIR -> cacheDir;
      default -> throw new IllegalArgumentException(setting.key() + " is a list; use list()");
    };
  }

  /** The values of a list setting as typed, in order; empty when the flag was not given. */
  List<String> list(Setting setting) {
    List<String> values = switch (setting) {
      case MODELS -> models;
      case AZURE_DEPLOYMENTS -> azureDeployments;
      case UPSTREAMS -> upstreams;
      case NO_PROXY -> noProxy;
      case UPSTREAM_TIMEOUTS -> upstreamTimeouts;
      case HEADER_MODES -> headerModes;
      case REDACT_HEADERS -> redactHeaders;
      case REDACT_FIELDS -> redactFields;
      case REDACT_PATTERNS -> redactPatterns;
      case HEADER_FAULTS -> headerFaults;
      case FIXTURES -> fixtures;
      case MATCH_IGNORE -> matchIgnore;
      default -> throw new IllegalArgumentException(setting.key() + " is not a list");
    };
    return values == null ? List.of() : values;
  }

  /** The {@code --model} values in order; empty when none were given. */
  List<String> models() {
    return models == null ? List.of() : models;
  }

  /** The {@code --azure-deployment} values, as typed, in order; empty when none were given. */
  List<String> azureDeployments() {
    return azureDeployments == null ? List.of() : azureDeployments;
  }

  /** The {@code --config} value, or null. */
  String config() {
    return config;
  }
}
