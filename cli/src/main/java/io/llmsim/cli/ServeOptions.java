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
          + "synthesize, or replay (needs --store).",
      "Default: synthesize. Env: LLMSIM_MODE."})
  String mode;

  @Option(names = "--config", paramLabel = "FILE", order = 4, description = {
      "YAML config file. Its keys mirror these options: host, port, mode, "
          + "profile, profiles, generator, speed, max-request-size, idle-timeout, "
          + "shutdown-grace, io-threads, models (a list), azure-deployments (a "
          + "mapping of deployment name to model), store, on-miss, strict, "
          + "include-incomplete.",
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
      "Event-loop threads; 0 lets Netty choose (two per CPU core).",
      "Default: 0. Env: LLMSIM_IO_THREADS."})
  String ioThreads;

  @Option(names = "--model", paramLabel = "ID", split = ",", order = 13, description = {
      "Extra model id listed by GET /v1/models beside the built-in ones; "
          + "repeat the option or separate ids with commas.",
      "Default: none. Env: LLMSIM_MODELS (comma-separated)."})
  List<String> models = new ArrayList<>();

  // Kept as raw NAME=MODEL text rather than a picocli Map so ConfigLoader reports a bad entry the
  // same way whether it came from a flag, the environment or the file.
  @Option(names = "--azure-deployment", paramLabel = "NAME=MODEL", split = ",", order = 14,
      description = {
          "Azure OpenAI deployment NAME served as MODEL; repeat the option or "
              + "separate entries with commas, as in the variable. With none, a "
              + "deployment's name is its model; with any, an unlisted deployment "
              + "gets 404 DeploymentNotFound.",
          "Default: none. Env: LLMSIM_AZURE_DEPLOYMENTS."})
  List<String> azureDeployments = new ArrayList<>();

  @Option(names = "--store", paramLabel = "DIR", order = 15, description = {
      "Exchange store (a RocksDB directory) that replay serves recordings from; "
          + "opened on the first replayed request.",
      "Default: none. Env: LLMSIM_STORE."})
  String store;

  @Option(names = "--on-miss", paramLabel = "ACTION", order = 16, description = {
      "What replay answers a request without a recording: error (a 404 naming "
          + "the nearest recordings), synthesize, passthrough or record (these two "
          + "need an upstream).",
      "Default: error. Env: LLMSIM_ON_MISS."})
  String onMiss;

  // Booleans stay null when the flag is absent, so the environment and the file can decide.
  @Option(names = "--strict", order = 17, description = {
      "Replay: report requests without a recording and recordings never used, at "
          + "GET /llmsim/replay/report and on shutdown.",
      "Default: false. Env: LLMSIM_STRICT."})
  Boolean strict;

  @Option(names = "--include-incomplete", order = 18, description = {
      "Replay recordings that were cut short too, ending as they did.",
      "Default: false. Env: LLMSIM_INCLUDE_INCOMPLETE."})
  Boolean includeIncomplete;

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
      case MODELS -> throw new IllegalArgumentException("models is a list; use models()");
      case AZURE_DEPLOYMENTS -> throw new IllegalArgumentException(
          "azure-deployments is a mapping; use azureDeployments()");
      case STORE -> store;
      case ON_MISS -> onMiss;
      case STRICT -> strict == null ? null : strict.toString();
      case INCLUDE_INCOMPLETE -> includeIncomplete == null ? null : includeIncomplete.toString();
    };
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
