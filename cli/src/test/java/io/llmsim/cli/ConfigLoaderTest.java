package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private static ServerConfig load(ServeOptions flags, Map<String, String> env, Path file) {
    return ConfigLoader.load(flags, env, file);
  }

  private static List<String> problems(ServeOptions flags, Map<String, String> env, Path file) {
    ConfigException e = catchThrowableOfType(
        ConfigException.class, () -> ConfigLoader.load(flags, env, file));
    assertThat(e).as("expected a config error").isNotNull();
    return e.problems();
  }

  @Test
  void nothingGivenMeansTheServerDefaults() {
    ServerConfig config = load(ServeOptions.none(), Map.of(), null);
    ServerConfig defaults = ServerConfig.defaults();

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.mode()).isEqualTo(Mode.SYNTHESIZE);
    assertThat(config.maxRequestBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(config.idleTimeout()).isEqualTo(defaults.idleTimeout());
    assertThat(config.shutdownGrace()).isEqualTo(defaults.shutdownGrace());
    assertThat(config.ioThreads()).isZero();
    assertThat(config.timerTick()).isEqualTo(Duration.ofMillis(1));
    assertThat(config.extraModels()).isEmpty();
    assertThat(config.azureDeployments()).isEmpty();
    assertThat(config.synthesis().forcedProfile()).isNull();
    assertThat(config.synthesis().speed()).isEqualTo(Speed.NORMAL);
    assertThat(config.synthesis().generator()).hasToString("lorem");
  }

  @Test
  void flagBeatsEnvBeatsFileBeatsDefault() throws IOException {
    Path file = yaml("config.yaml", """
        port: 9000
        host: 10.0.0.1
        generator: echo
        speed: 3
        idle-timeout: 45s
        """);
    ServeOptions flags =
        ServeOptions.parse("--port", "9002", "--generator", "fixed:flag", "--speed", "max");
    Map<String, String> env = Map.of(
        "LLMSIM_PORT", "9001", "LLMSIM_HOST", "10.0.0.2", "LLMSIM_GENERATOR", "fixed:env",
        "LLMSIM_IDLE_TIMEOUT", "500ms");

    ServerConfig all = load(flags, env, file);
    assertThat(all.port()).isEqualTo(9002);
    assertThat(all.host()).isEqualTo("10.0.0.2");
    assertThat(all.synthesis().generator()).hasToString("fixed:flag");
    assertThat(all.synthesis().speed().isMax()).isTrue();
    assertThat(all.idleTimeout()).isEqualTo(Duration.ofMillis(500));

    ServerConfig noFlags = load(ServeOptions.none(), env, file);
    assertThat(noFlags.port()).isEqualTo(9001);
    assertThat(noFlags.synthesis().generator()).hasToString("fixed:env");
    assertThat(noFlags.synthesis().speed().factor()).isEqualTo(3.0);

    ServerConfig fileOnly = load(ServeOptions.none(), Map.of(), file);
    assertThat(fileOnly.port()).isEqualTo(9000);
    assertThat(fileOnly.host()).isEqualTo("10.0.0.1");
    assertThat(fileOnly.synthesis().generator()).hasToString("echo");
    assertThat(fileOnly.idleTimeout()).isEqualTo(Duration.ofSeconds(45));

    ServerConfig none = load(ServeOptions.none(), Map.of(), null);
    assertThat(none.port()).isEqualTo(8080);
    assertThat(none.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void everyKeyCanBeSetFromTheFile() throws IOException {
    Path file = yaml("full.yaml", """
        host: 0.0.0.0
        port: 0
        mode: synthesize
        profile: fast
        generator: "sequence:one|two"
        speed: 0.5x
        max-request-size: 512KB
        idle-timeout: 2m
        shutdown-grace: 1.5s
        io-threads: 3
        models: [my-model, other-model]
        azure-deployments:
          prod-chat: gpt-4o-mini
          prod-embed: text-embedding-3-small
        """);

    ServerConfig config = load(ServeOptions.none(), Map.of(), file);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isZero();
    assertThat(config.synthesis().forcedProfile()).isEqualTo("fast");
    assertThat(config.synthesis().generator()).hasToString("sequence:one|two");
    assertThat(config.synthesis().speed().factor()).isEqualTo(0.5);
    assertThat(config.maxRequestBytes()).isEqualTo(512 * 1024);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.ioThreads()).isEqualTo(3);
    assertThat(config.extraModels()).containsExactly("my-model", "other-model");
    assertThat(config.azureDeployments()).containsOnly(
        Map.entry("prod-chat", "gpt-4o-mini"), Map.entry("prod-embed", "text-embedding-3-small"));
  }

  @Test
  void configFileComesFromTheFlagElseTheEnvironment() throws IOException {
    Path fromFlag = yaml("a.yaml", "port: 1111\n");
    Path fromEnv = yaml("b.yaml", "port: 2222\n");
    Map<String, String> env = Map.of("LLMSIM_CONFIG", fromEnv.toString());

    assertThat(ConfigLoader.load(ServeOptions.parse("--config", fromFlag.toString()), env).port())
        .isEqualTo(1111);
    assertThat(ConfigLoader.load(ServeOptions.none(), env).port()).isEqualTo(2222);
    assertThat(ConfigLoader.configPath(ServeOptions.none(), Map.of())).isNull();
  }

  @Test
  void blankEnvironmentVariablesCountAsUnset() {
    ServerConfig config =
        load(ServeOptions.none(), Map.of("LLMSIM_PORT", "", "LLMSIM_HOST", "  "), null);
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void modelsFromFlagsReplaceTheEnvironmentList() {
    Map<String, String> env = Map.of("LLMSIM_MODELS", "env-a, env-b");

    assertThat(load(ServeOptions.none(), env, null).extraModels())
        .containsExactly("env-a", "env-b");
    assertThat(load(ServeOptions.parse("--model", "f1", "--model", "f2,f3"), env, null)
        .extraModels())
        .containsExactly("f1", "f2", "f3");
  }

  @Test
  void azureDeploymentsComeFromFlagsElseEnvironmentElseFile() throws IOException {
    Path file = yaml("config.yaml", """
        azure-deployments:
          from-file: gpt-4o
          shared: gpt-4o
        """);
    Map<String, String> env =
        Map.of("LLMSIM_AZURE_DEPLOYMENTS", " from-env = gpt-4o-mini , shared=o3-mini");
    ServeOptions flags = ServeOptions.parse(
        "--azure-deployment", "from-flag=gpt-4.1", "--azure-deployment", "a=o1,b=o3");

    assertThat(load(ServeOptions.none(), Map.of(), file).azureDeployments())
        .containsOnly(Map.entry("from-file", "gpt-4o"), Map.entry("shared", "gpt-4o"));
    // A higher layer's mapping replaces the lower one whole, as the models list does.
    assertThat(load(ServeOptions.none(), env, file).azureDeployments())
        .containsOnly(Map.entry("from-env", "gpt-4o-mini"), Map.entry("shared", "o3-mini"));
    assertThat(load(flags, env, file).azureDeployments()).containsOnly(
        Map.entry("from-flag", "gpt-4.1"), Map.entry("a", "o1"), Map.entry("b", "o3"));
  }

  @Test
  void badAzureDeploymentsNameTheirSource() throws IOException {
    Path list = yaml("list.yaml", "azure-deployments: [prod=gpt-4o]\n");
    Path values = yaml("values.yaml", "azure-deployments:\n  prod: [gpt-4o]\n");
    ServeOptions flags = ServeOptions.parse("--azure-deployment", "prod");
    Map<String, String> env = Map.of("LLMSIM_AZURE_DEPLOYMENTS", "a=gpt-4o,a=o1");

    assertThat(problems(flags, env, list)).containsExactlyInAnyOrder(
        "--azure-deployment: expected NAME=MODEL, such as prod-chat=gpt-4o; got 'prod'",
        "LLMSIM_AZURE_DEPLOYMENTS: deployment 'a' is mapped to both 'gpt-4o' and 'o1'",
        list + ": azure-deployments: expected a mapping of deployment name to model "
            + "(name: model), got a list");
    assertThat(problems(ServeOptions.none(), Map.of(), values)).containsExactly(
        values + ": azure-deployments: deployment 'prod': expected a model id (string), got a "
            + "list");
    assertThat(problems(ServeOptions.parse("--azure-deployment", "=gpt-4o"), Map.of(), null))
        .containsExactly("--azure-deployment: a deployment name must not be empty");
    assertThat(problems(ServeOptions.none(), Map.of("LLMSIM_AZURE_DEPLOYMENTS", "prod="), null))
        .containsExactly("LLMSIM_AZURE_DEPLOYMENTS: deployment 'prod': model must not be empty");
  }

  @Test
  void sizesAcceptUnitSuffixes() {
    assertThat(load(ServeOptions.parse("--max-request-size", "8MB"), Map.of(), null)
        .maxRequestBytes()).isEqualTo(8 * 1024 * 1024);
    assertThat(load(ServeOptions.none(), Map.of("LLMSIM_MAX_REQUEST_SIZE", "512kb"), null)
        .maxRequestBytes()).isEqualTo(512 * 1024);
    assertThat(load(ServeOptions.parse("--max-request-size", "4096"), Map.of(), null)
        .maxRequestBytes()).isEqualTo(4096);
  }

  @Test
  void unknownKeySuggestsTheNearestOne() throws IOException {
    Path file = yaml("config.yaml", "prot: 9000\nmax_request_size: 1MB\nwhatever: 1\n");

    assertThat(problems(ServeOptions.none(), Map.of(), file)).containsExactly(
        file + ": unknown key 'prot' (did you mean 'port'?)",
        file + ": unknown key 'max_request_size' (did you mean 'max-request-size'?)",
        file + ": unknown key 'whatever'; known keys: host, port, mode, profile, profiles, "
            + "generator, speed, max-request-size, idle-timeout, shutdown-grace, io-threads, "
            + "timer-tick, models, azure-deployments, store, upstreams, upstream-proxy, "
            + "no-proxy, upstream-ca, upstream-timeouts, inject-keys, header-modes, redact-headers, "
            + "redact-fields, redact-patterns, keep-incomplete, on-miss, strict, "
            + "include-incomplete, fault-seed, header-faults, fixtures, cache-dir, scope, match, "
            + "match-ignore, faults, rate-limits");
  }

  @Test
  void keepIncompleteComesFromTheFileTheEnvironmentOrTheFlag() throws IOException {
    Path file = yaml("keep.yaml", "keep-incomplete: true\n");
    assertThat(ConfigLoader.load(ServeOptions.none(), Map.of()).modes().keepIncomplete())
        .isFalse();
    assertThat(ConfigLoader.load(ServeOptions.none(), Map.of(), file).modes().keepIncomplete())
        .isTrue();
    assertThat(ConfigLoader.load(ServeOptions.none(), Map.of("LLMSIM_KEEP_INCOMPLETE", "false"),
        file).modes().keepIncomplete()).isFalse();
    assertThat(ConfigLoader.load(ServeOptions.parse("--keep-incomplete"), Map.of())
        .modes().keepIncomplete()).isTrue();
  }

  @Test
  void onlyAGivenStoreOrOneTheModeNeedsIsConfigured() throws IOException {
    Path home = Path.of(System.getProperty("user.home"), ".llmsim", "store");
    assertThat(ConfigLoader.load(ServeOptions.none(), Map.of()).modes().storeDir()).isNull();
    assertThat(ConfigLoader.load(ServeOptions.parse("--mode", "passthrough"), Map.of())
        .modes().storeDir()).isNull();
    assertThat(ConfigLoader.load(ServeOptions.parse("--mode", "record"), Map.of())
        .modes().storeDir()).isEqualTo(home);
    assertThat(ConfigLoader.load(ServeOptions.parse("--store", "given"), Map.of())
        .modes().storeDir()).isEqualTo(Path.of("given"));
  }

  @Test
  void wrongTypesNameTheKeyAndTheFile() throws IOException {
    Path file = yaml("config.yaml", """
        port: "8080"
        host: [a, b]
        models: my-model
        io-threads: 1.5
        """);

    assertThat(problems(ServeOptions.none(), Map.of(), file)).containsExactlyInAnyOrder(
        file + ": port: expected an integer, got the string '8080'",
        file + ": host: expected a string, got a list",
        file + ": models: expected a list of model ids, got the string 'my-model'",
        file + ": io-threads: expected an integer, got the number 1.5");
  }

  @Test
  void badValuesAreReportedFromEveryLayerAtOnce() throws IOException {
    Path file = yaml("config.yaml", "port: 70000\nspeed: fast\n");
    ServeOptions flags = ServeOptions.parse("--port", "80a", "--io-threads", "-1");
    Map<String, String> env = Map.of("LLMSIM_PORT", "x", "LLMSIM_GENERATOR", "shout");

    assertThat(problems(flags, env, file)).containsExactlyInAnyOrder(
        "--port: expected an integer, got '80a'",
        "LLMSIM_PORT: expected an integer, got 'x'",
        file + ": port: must be between 0 and 65535, got 70000",
        "--io-threads: must be between 0 and 4096, got -1",
        "LLMSIM_GENERATOR: unknown generator 'shout'; expected lorem, echo, fixed:TEXT or "
            + "sequence:A|B|C",
        file + ": speed: speed must be a positive number, optionally followed by x, or max; "
            + "got 'fast'");
  }

  @Test
  void badDurationsSayWhatIsExpected() throws IOException {
    Path file = yaml("config.yaml", "idle-timeout: 30\nshutdown-grace: soon\n");

    assertThat(problems(ServeOptions.parse("--shutdown-grace", "10 sec"), Map.of(), file))
        .containsExactlyInAnyOrder(
            "--shutdown-grace: expected a duration such as 500ms, 30s or 2m; got '10 sec'",
            file + ": idle-timeout: a duration needs a unit (ms, s, m, h), such as 30s; "
                + "got '30'",
            file + ": shutdown-grace: expected a duration such as 500ms, 30s or 2m; got 'soon'");
  }

  @Test
  void theTimerTickIsADurationUpTo100ms() throws IOException {
    Path file = yaml("config.yaml", "timer-tick: 0.5ms\n");
    assertThat(load(ServeOptions.none(), Map.of(), file).timerTick())
        .isEqualTo(Duration.ofNanos(500_000));
    assertThat(load(ServeOptions.parse("--timer-tick", "0"), Map.of(), file).timerTick())
        .isZero();

    assertThat(problems(ServeOptions.none(), Map.of("LLMSIM_TIMER_TICK", "1s"), null))
        .containsExactly("LLMSIM_TIMER_TICK: at most 100ms, or it changes the timing a profile"
            + " or a recording asks for; got '1s'");
  }

  @Test
  void unknownProfileIsAnErrorListingTheKnownOnes() throws IOException {
    Path file = yaml("config.yaml", "profile: turbo\n");

    List<String> fromFile = problems(ServeOptions.none(), Map.of(), file);
    assertThat(fromFile).singleElement().asString()
        .startsWith(file + ": profile: unknown latency profile 'turbo'; known: ")
        .contains("openai-gpt-4o", "instant");

    assertThat(problems(ServeOptions.parse("--profile", "nope"), Map.of(), null))
        .singleElement().asString().startsWith("--profile: unknown latency profile 'nope'");
  }

  @Test
  void modesAreReadAndUnknownOnesNamed() {
    assertThat(load(ServeOptions.parse("--mode", "passthrough"), Map.of(), null).mode())
        .isEqualTo(Mode.PASSTHROUGH);
    assertThat(problems(ServeOptions.none(), Map.of("LLMSIM_MODE", "bogus"), null))
        .containsExactly("LLMSIM_MODE: unknown mode 'bogus'; expected synthesize, replay, "
            + "record or passthrough");
    assertThat(load(ServeOptions.parse("--mode", "SYNTHESIZE"), Map.of(), null).mode())
        .isEqualTo(Mode.SYNTHESIZE);
  }

  @Test
  void upstreamsTimeoutsKeysAndHeaderModes() {
    var config = load(ServeOptions.parse("--upstream", "openai=http://gateway.internal:8443/llm",
        "--upstream-timeout", "first-byte=15m,anthropic.idle=1m", "--inject-keys",
        "--header-modes", "synthesize,replay", "--store", "/tmp/llmsim-test-store"),
        Map.of("OPENAI_API_KEY", "sk-from-env-0123456789abcdef", "HTTPS_PROXY",
            "http://proxy.corp:3128", "NO_PROXY", ".internal"), null);
    var upstreams = config.modes().upstreams();
    assertThat(upstreams.upstream("openai").baseUri().toString())
        .isEqualTo("http://gateway.internal:8443/llm");
    assertThat(upstreams.upstream("anthropic").baseUri().toString())
        .isEqualTo("https://api.anthropic.com");
    assertThat(upstreams.upstream("azure")).isNull();
    assertThat(upstreams.upstream("openai").timeouts().firstByte()).hasMinutes(15);
    assertThat(upstreams.upstream("anthropic").timeouts().idle()).hasMinutes(1);
    assertThat(upstreams.upstream("openai").timeouts().idle()).hasMinutes(5);
    assertThat(upstreams.injectKeys()).isTrue();
    assertThat(upstreams.keys()).containsEntry("openai", "sk-from-env-0123456789abcdef");
    assertThat(upstreams.toString()).doesNotContain("sk-from-env");
    assertThat(upstreams.proxy().host()).isEqualTo("proxy.corp");
    assertThat(upstreams.proxy().appliesTo("gateway.internal")).isFalse();
    assertThat(config.modes().headerModes()).containsExactlyInAnyOrder(Mode.SYNTHESIZE,
        Mode.REPLAY);
    assertThat(config.modes().storeDir()).isEqualTo(Path.of("/tmp/llmsim-test-store"));

    // Without an upstream, a synthesizing server reaches no provider; record mode uses defaults.
    assertThat(load(ServeOptions.none(), Map.of(), null).modes().upstreams().isEmpty()).isTrue();
    assertThat(load(ServeOptions.parse("--mode", "record"), Map.of(), null).modes().upstreams()
        .upstream("gemini").baseUri().getHost()).isEqualTo("generativelanguage.googleapis.com");
  }

  @Test
  void replayMatchingIsReadAndChecked() {
    assertThat(load(ServeOptions.none(), Map.of(), null).modes().replay().match()).isNull();
    assertThat(load(ServeOptions.parse("--match", "loose"), Map.of(), null).modes().replay()
        .match()).isNotNull();
    assertThat(load(ServeOptions.none(), Map.of("LLMSIM_MATCH_IGNORE", "/temperature,/top_p"),
        null).modes().replay().match()).isNotNull();
    assertThat(problems(ServeOptions.parse("--match", "fuzzy"), Map.of(), null))
        .containsExactly("--match: expected exact or loose, got 'fuzzy'");
    assertThat(problems(ServeOptions.parse("--match", "loose", "--match-ignore", "/a"), Map.of(),
        null)).containsExactly("--match-ignore: applies to exact matching; --match is loose");
  }

  @Test
  void badForwardingSettingsAreNamed() {
    assertThat(problems(ServeOptions.parse("--upstream", "mistral=http://x"), Map.of(), null))
        .containsExactly("--upstream: unknown provider 'mistral'; expected one of openai, "
            + "anthropic, gemini, azure");
    assertThat(problems(ServeOptions.parse("--upstream-timeout", "warmup=1s"), Map.of(), null))
        .containsExactly("--upstream-timeout: unknown timeout 'warmup'; expected one of "
            + "connect, first-byte, idle, total");
    assertThat(problems(ServeOptions.parse("--header-modes", "chaos"), Map.of(), null))
        .containsExactly("--header-modes: unknown mode 'chaos'; expected synthesize, replay, "
            + "record or passthrough");
    assertThat(problems(ServeOptions.parse("--upstream", "ftp://x"), Map.of(), null))
        .singleElement().asString().contains("must start with http:// or https://");
  }

  @Test
  void inlineProfilesInTheConfigFile() throws IOException {
    Path file = yaml("config.yaml", """
        profiles:
          profiles:
            glacial:
              ttft: {type: constant, value: 5000}
              itl: {type: constant, value: 250}
          models:
            "legacy-*": glacial
        """);

    ServerConfig config = load(ServeOptions.none(), Map.of(), file);

    LatencyProfile mapped = config.synthesis().profileFor("legacy-7b", null);
    assertThat(mapped.name()).isEqualTo("glacial");
    assertThat(mapped.drawTtftNanos(0, new SplittableRandom(1)))
        .isEqualTo(Duration.ofSeconds(5).toNanos());
    // Built-in mappings still apply to other models.
    assertThat(config.synthesis().profileFor("claude-3-5-haiku", null).name())
        .isEqualTo("anthropic-haiku");
    // A forced profile may name a profile defined inline.
    assertThat(load(ServeOptions.parse("--profile", "glacial"), Map.of(), file)
        .synthesis().forcedProfile()).isEqualTo("glacial");
  }

  @Test
  void profilesPathInTheFileIsRelativeToTheFile() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(sub.resolve("latency.yaml"), """
        profiles:
          snappy:
            ttft: {type: constant, value: 1}
            itl: {type: constant, value: 1}
        default: snappy
        """);
    Files.writeString(sub.resolve("config.yaml"), "profiles: latency.yaml\nprofile: snappy\n");

    ServerConfig config = load(ServeOptions.none(), Map.of(), sub.resolve("config.yaml"));

    assertThat(config.synthesis().forcedProfile()).isEqualTo("snappy");
    assertThat(config.synthesis().profiles().forModel("unmapped-model").name())
        .isEqualTo("snappy");
  }

  @Test
  void badProfilesFilesNameTheFile() throws IOException {
    Path broken = yaml("latency.yaml", "profilez: {}\n");
    Path missing = dir.resolve("absent.yaml");

    assertThat(problems(ServeOptions.parse("--profiles", broken.toString()), Map.of(), null))
        .containsExactly("--profiles: " + broken
            + ": unknown key 'profilez'; expected profiles, models, default");
    assertThat(problems(ServeOptions.none(), Map.of("LLMSIM_PROFILES", missing.toString()), null))
        .containsExactly("LLMSIM_PROFILES: " + missing + ": no such file");
    // The profile cannot be checked against a catalog that did not load: one error, not two.
    assertThat(problems(
        ServeOptions.parse("--profiles", broken.toString(), "--profile", "mine"), Map.of(), null))
        .hasSize(1);
  }

  @Test
  void brokenYamlAndMissingFilesAreConfigErrors() throws IOException {
    Path broken = yaml("broken.yaml", "port: 80\n  host: [\n");
    Path dup = yaml("dup.yaml", "port: 80\nport: 81\n");
    Path list = yaml("list.yaml", "- port\n");

    assertThat(problems(ServeOptions.none(), Map.of(), broken)).singleElement().asString()
        .startsWith(broken + ": invalid YAML at line ");
    assertThat(problems(ServeOptions.none(), Map.of(), dup)).singleElement().asString()
        .startsWith(dup + ": invalid YAML").contains("port");
    assertThat(problems(ServeOptions.none(), Map.of(), list)).containsExactly(
        list + ": expected a mapping of settings (key: value) at the top level, got a list");
    assertThat(problems(ServeOptions.none(), Map.of(), dir.resolve("nope.yaml")))
        .containsExactly(dir.resolve("nope.yaml") + ": no such file");
  }

  @Test
  void anEmptyFileMeansDefaults() throws IOException {
    Path empty = yaml("empty.yaml", "# nothing set yet\n");
    assertThat(load(ServeOptions.none(), Map.of(), empty).port()).isEqualTo(8080);
  }

  @Test
  void unknownEnvironmentVariablesAreNotRead() {
    Map<String, String> env = new HashMap<>();
    env.put("LLMSIM_PROT", "1");
    env.put("PORT", "1");
    assertThat(load(ServeOptions.none(), env, null).port()).isEqualTo(8080);
  }

  @Test
  void durationsAndSizesParse() {
    assertThat(Units.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Units.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Units.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(Units.parseDuration("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> Units.parseDuration("-5s"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Units.parseSize("1GB")).isEqualTo(1 << 30);
    assertThat(Units.parseSize("1.5k")).isEqualTo(1536);
    assertThatThrownBy(() -> Units.parseSize("2GB"))
        .hasMessage("must be less than 2GB; got '2GB'");
    assertThat(Units.format(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(Units.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
