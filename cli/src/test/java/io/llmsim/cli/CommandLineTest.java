package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.proxy.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs whole command lines, as Main does, and checks exit status and output. */
class CommandLineTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = Main.newCommandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  @Test
  void validateAcceptsAGoodConfig() throws IOException {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, "port: 9000\nprofile: fast\nmodels: [a]\n");

    assertThat(run("validate", file.toString())).isZero();
    assertThat(out.toString()).isEqualTo(file + ": ok" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void validateListsEveryProblemAndExitsTwo() throws IOException {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "port: 1\n");
    Path bad = dir.resolve("config.yaml");
    Files.writeString(bad, "prot: 9000\nidle-timeout: 30\n");

    assertThat(run("validate", good.toString(), bad.toString())).isEqualTo(2);
    assertThat(out.toString()).contains(good + ": ok").doesNotContain(bad + ": ok");
    assertThat(err.toString().lines()).containsExactly(
        bad + ": unknown key 'prot' (did you mean 'port'?)",
        bad + ": idle-timeout: a duration needs a unit (ms, s, m, h), such as 30s; got '30'");
  }

  @Test
  void validateChecksTheProfilesFileTheConfigNames() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "profiles: latency.yaml\n");

    assertThat(run("validate", config.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("profiles: ").contains("latency.yaml: no such file");
  }

  @Test
  void validateIgnoresTheEnvironment() throws IOException {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, "port: 9000\n");

    assertThat(run(Map.of("LLMSIM_PORT", "not-a-port"), "validate", file.toString())).isZero();
  }

  @Test
  void validateWithoutAFileIsAUsageError() {
    assertThat(run("validate")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("llmsim: Missing required parameter: 'FILE'")
        .contains("Try 'llmsim validate --help'");
  }

  @Test
  void serveWithABadConfigExitsTwoWithoutStarting() throws IOException {
    Path bad = dir.resolve("config.yaml");
    Files.writeString(bad, "prot: 9000\n");

    assertThat(run("serve", "--config", bad.toString(), "--port", "0")).isEqualTo(2);
    assertThat(err.toString().lines())
        .containsExactly("llmsim: " + bad + ": unknown key 'prot' (did you mean 'port'?)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void azureDeploymentsAreCheckedInEverySource() throws IOException {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "azure-deployments:\n  prod-chat: gpt-4o-mini\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "azure-deployments: prod-chat=gpt-4o-mini\n");

    assertThat(run("validate", good.toString(), bad.toString())).isEqualTo(2);
    assertThat(out.toString()).contains(good + ": ok").doesNotContain(bad + ": ok");
    assertThat(err.toString().lines()).containsExactly(
        bad + ": azure-deployments: expected a mapping of deployment name to model (name: model),"
            + " got the string 'prod-chat=gpt-4o-mini'");

    err.getBuffer().setLength(0);
    assertThat(run(Map.of("LLMSIM_AZURE_DEPLOYMENTS", "prod-chat"), "serve", "--port", "0"))
        .isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("llmsim: LLMSIM_AZURE_DEPLOYMENTS: "
        + "expected NAME=MODEL, such as prod-chat=gpt-4o; got 'prod-chat'");

    err.getBuffer().setLength(0);
    assertThat(run("serve", "--port", "0", "--azure-deployment", "a=gpt-4o,a=o1")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "llmsim: --azure-deployment: deployment 'a' is mapped to both 'gpt-4o' and 'o1'");
  }

  @Test
  void recordAlwaysRecordsAndBadUpstreamsAreUsageErrors() {
    assertThat(run("record", "--port", "0", "--mode", "synthesize")).isEqualTo(2);
    assertThat(err.toString()).contains(
        "llmsim: record always records; use serve --mode synthesize");

    err.getBuffer().setLength(0);
    assertThat(run("serve", "--port", "0", "--upstream", "mistral=http://127.0.0.1:9")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("llmsim: --upstream: unknown provider 'mistral'; "
        + "expected one of openai, anthropic, gemini, azure" + System.lineSeparator());
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrorsWithSuggestions() {
    assertThat(run("serv")).isEqualTo(2);
    assertThat(err.toString()).contains("llmsim: Unmatched argument at index 0: 'serv'")
        .contains("serve");

    err.getBuffer().setLength(0);
    assertThat(run("serve", "--hots", "::")).isEqualTo(2);
    assertThat(err.toString()).startsWith("llmsim: Unknown options: '--hots'")
        .contains("Possible solutions: --host")
        .contains("Try 'llmsim serve --help'");
  }

  @Test
  void noCommandPrintsUsageAndExitsTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: llmsim").contains("serve").contains("validate");
  }

  @Test
  void helpAndVersionExitZero() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve", "validate", "Exit status:");

    out.getBuffer().setLength(0);
    assertThat(run("--version")).isZero();
    // Run from classes, not the jar, so there is no manifest version.
    assertThat(out.toString()).startsWith("llmsim dev");
  }

  @Test
  void serveHelpGivesEachOptionItsDefaultAndVariable() {
    assertThat(run("serve", "--help")).isZero();
    String help = out.toString();
    for (Setting s : Setting.values()) {
      assertThat(help).as(s.flag()).contains(s.flag()).contains("Env: " + s.env());
    }
    assertThat(help).contains("Env: LLMSIM_CONFIG");
    // The defaults the help shows are the ones the server really uses.
    ServerConfig defaults = ServerConfig.defaults();
    assertThat(help)
        .contains("Default: " + defaults.host() + ".")
        .contains("Default: " + defaults.port() + ".")
        .contains("Default: " + Units.format(defaults.idleTimeout()) + ".")
        .contains("Default: " + Units.format(defaults.shutdownGrace()) + ".");
    assertThat(Units.parseSize(ServeOptions.DEFAULT_MAX_REQUEST_SIZE))
        .isEqualTo(defaults.maxRequestBytes());
    assertThat(Units.parseDuration(ServeOptions.DEFAULT_IDLE_TIMEOUT))
        .isEqualTo(defaults.idleTimeout());
    assertThat(Units.parseDuration(ServeOptions.DEFAULT_SHUTDOWN_GRACE))
        .isEqualTo(defaults.shutdownGrace());
    assertThat(Units.parseDuration(ServeOptions.DEFAULT_TIMER_TICK))
        .isEqualTo(defaults.timerTick());
  }

  @Test
  void verboseAddsTheStackTrace() {
    assertThat(run("serve", "--verbose", "--port", "x")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("llmsim: --port: expected an integer, got 'x'")
        .contains("io.llmsim.cli.ConfigException")
        .contains("\tat io.llmsim.cli.ConfigLoader");

    err.getBuffer().setLength(0);
    assertThat(run("serve", "--port", "x")).isEqualTo(2);
    assertThat(err.toString()).doesNotContain("\tat ");
  }
}
