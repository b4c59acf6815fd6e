package io.llmsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmsim.core.api.ApiKeys;
import io.llmsim.core.fault.FaultKind;
import io.llmsim.core.fault.FaultRule;
import io.llmsim.core.ratelimit.RateLimit;
import io.llmsim.proxy.ChaosSettings;
import io.llmsim.proxy.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faults:}, {@code fault-seed}, {@code header-faults} and {@code rate-limits:} config. */
class ChaosConfigTest {
  @TempDir Path dir;

  private Path yaml(String content) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, content);
    return file;
  }

  private static List<String> problems(ServeOptions flags, Map<String, String> env, Path file) {
    ConfigException e = catchThrowableOfType(
        ConfigException.class, () -> ConfigLoader.load(flags, env, file));
    assertThat(e).as("expected a config error").isNotNull();
    return e.problems();
  }

  @Test
  void nothingGivenMeansNoRulesNoLimitsAndEveryHeaderFault() {
    ChaosSettings chaos = ConfigLoader.load(ServeOptions.none(), Map.of(), null).chaos();
    assertThat(chaos.faultRules().rules()).isEmpty();
    assertThat(chaos.faultRules().seed()).isNull();
    assertThat(chaos.faultRules().headerFaults()).isEqualTo(EnumSet.allOf(FaultKind.class));
    assertThat(chaos.rateLimits().enabled()).isFalse();
  }

  @Test
  void rulesLimitsAndSeedFromTheFile() throws IOException {
    Path file = yaml("""
        fault-seed: 42
        header-faults: [rate_limit, overloaded]
        faults:
          - match: {model: "gpt-4o*", path: /v1/chat/completions, api-key: sk-chaos, provider: openai}
            fault: server_error
            fault-rate: 0.5
            after: 3
          - match: {api-key-sha256: %s}
            fault: timeout
            hang: 2000
          - fault: rate_limit
            retry-after: 7
        rate-limits:
          rpm: 60
          tpm: 100000
          models:
            "gpt-4o*": {rpm: 10}
        """.formatted(ApiKeys.hash("sk-other")));
    ServerConfig config = ConfigLoader.load(ServeOptions.none(), Map.of(), file);
    ChaosSettings chaos = config.chaos();
    assertThat(chaos.faultRules().seed()).isEqualTo(42L);
    assertThat(chaos.faultRules().headerFaults())
        .containsExactlyInAnyOrder(FaultKind.RATE_LIMIT, FaultKind.OVERLOADED);
    List<FaultRule> rules = chaos.faultRules().rules();
    assertThat(rules).hasSize(3);
    FaultRule first = rules.get(0);
    assertThat(first.model()).hasToString("gpt-4o*");
    assertThat(first.path()).hasToString("/v1/chat/completions");
    assertThat(first.provider()).isEqualTo("openai");
    // Only the hash of the key is kept.
    assertThat(first.apiKeyHash()).isEqualTo(ApiKeys.hash("sk-chaos")).doesNotContain("chaos");
    assertThat(first.fault().kind()).isEqualTo(FaultKind.SERVER_ERROR);
    assertThat(first.fault().rate()).isEqualTo(0.5);
    assertThat(first.fault().after()).isEqualTo(3);
    assertThat(rules.get(1).apiKeyHash()).isEqualTo(ApiKeys.hash("sk-other"));
    assertThat(rules.get(1).fault().hangMillis()).isEqualTo(2000L);
    assertThat(rules.get(2).fault().retryAfterSeconds()).isEqualTo(7);

    assertThat(chaos.rateLimits().enabled()).isTrue();
    assertThat(chaos.rateLimits().forModel("claude-sonnet-4-5"))
        .isEqualTo(new RateLimit(60, 100_000));
    // An override keeps the default for what it does not name.
    assertThat(chaos.rateLimits().forModel("gpt-4o-mini")).isEqualTo(new RateLimit(10, 100_000));
  }

  @Test
  void flagsAndEnvironmentBeatTheFileForSeedAndHeaderFaults() throws IOException {
    Path file = yaml("fault-seed: 1\nheader-faults: [slow]\n");
    ServerConfig fromEnv = ConfigLoader.load(ServeOptions.none(),
        Map.of("LLMSIM_FAULT_SEED", "2", "LLMSIM_HEADER_FAULTS", "auth,stall"), file);
    assertThat(fromEnv.chaos().faultRules().seed()).isEqualTo(2L);
    assertThat(fromEnv.chaos().faultRules().headerFaults())
        .containsExactlyInAnyOrder(FaultKind.AUTH, FaultKind.STALL);
    ServerConfig fromFlags = ConfigLoader.load(
        ServeOptions.parse("--fault-seed", "3", "--header-faults", "none"), Map.of(), file);
    assertThat(fromFlags.chaos().faultRules().seed()).isEqualTo(3L);
    assertThat(fromFlags.chaos().faultRules().headerFaults()).isEmpty();
  }

  @Test
  void badValuesAreReportedTogetherNamingTheKey() throws IOException {
    Path file = yaml("""
        fault-seed: abc
        header-faults: [rate_limit, explode]
        faults:
          - fault: server_error
            fault-rate: 2
          - match: {model: "gpt-*", colour: red}
            fault: auth
          - fault: meltdown
          - fault-rate: 0.5
          - match: {provider: cohere}
            fault: auth
        rate-limits:
          rpm: -1
        """);
    List<String> problems = problems(ServeOptions.none(), Map.of(), file);
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": fault-seed: expected a whole number"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": header-faults: unknown fault 'explode'"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": faults[0].fault-rate: fault-rate must be a number from 0 to 1"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": faults[1].match: unknown key 'colour'"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": faults[2].fault: unknown fault 'meltdown'"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": faults[3]: missing key 'fault'"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": faults[4].match.provider: unknown provider 'cohere'"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith(file + ": rate-limits.rpm: expected a whole number"));
  }

  @Test
  void aRateLimitsSectionCanBeSwitchedOffAndUnknownKeysAreNamed() throws IOException {
    ServerConfig off = ConfigLoader.load(ServeOptions.none(), Map.of(),
        yaml("rate-limits: {enabled: false, rpm: 5}\n"));
    assertThat(off.chaos().rateLimits().enabled()).isFalse();
    assertThat(problems(ServeOptions.none(), Map.of(), yaml("rate-limits: {rqm: 5}\n")))
        .containsExactly(dir.resolve("config.yaml")
            + ": rate-limits: unknown key 'rqm'; expected enabled, models, rpm, tpm");
    assertThat(problems(ServeOptions.parse("--fault-seed", "x"), Map.of(), null))
        .containsExactly("--fault-seed: expected a whole number, got the string 'x'");
  }
}
