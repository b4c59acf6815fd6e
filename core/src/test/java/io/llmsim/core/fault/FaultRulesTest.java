package io.llmsim.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.api.ApiConfig;
import io.llmsim.core.api.ApiKeys;
import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.api.Providers;
import io.llmsim.core.api.Routed;
import io.llmsim.core.api.Router;
import io.llmsim.core.mode.Mode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Config fault rules: matching, precedence, seeded repeatable draws, the header allow-list. */
class FaultRulesTest {
  private static final Router ROUTER = new Router(Providers.all(ApiConfig.defaults()),
      (r, e) -> { });
  private static final Set<FaultKind> ALL = EnumSet.allOf(FaultKind.class);

  private static Routed routed(String path, String model, String key, String header) {
    Map<String, String> headers = new java.util.HashMap<>();
    if (key != null) {
      headers.put(path.contains("messages") ? "x-api-key" : "Authorization",
          path.contains("messages") ? key : "Bearer " + key);
    }
    if (path.contains("messages")) {
      headers.put("anthropic-version", "2023-06-01");
    }
    if (header != null) {
      headers.put("x-simulation-mode", header);
    }
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    Router.Resolution resolution = ROUTER.resolve(new ApiRequest("POST", path, headers,
        body.getBytes(StandardCharsets.UTF_8), 0));
    assertThat(resolution.routed()).as("routed %s", path).isNotNull();
    return resolution.routed();
  }

  private static Fault fault(FaultKind kind, double rate) {
    return new Fault(kind, rate, 0, 1, null);
  }

  private static FaultKind kindOf(Routed routed) {
    return routed.options().fault() == null ? null : routed.options().fault().kind();
  }

  @Test
  void theFirstMatchingRuleApplies() {
    FaultRules rules = new FaultRules(List.of(
        new FaultRule(Glob.of("gpt-4o*"), null, ApiKeys.hash("sk-chaos"), null,
            fault(FaultKind.AUTH, 1)),
        new FaultRule(null, Glob.of("/v1/messages"), null, "anthropic",
            fault(FaultKind.OVERLOADED, 1)),
        new FaultRule(null, Glob.of("/v1/*/completions"), null, null,
            fault(FaultKind.SERVER_ERROR, 1))), null, ALL);

    assertThat(kindOf(rules.apply(routed("/v1/chat/completions", "gpt-4o-mini", "sk-chaos",
        null)))).isEqualTo(FaultKind.AUTH);
    // Another key, or a model the glob misses: the next rule that matches.
    assertThat(kindOf(rules.apply(routed("/v1/chat/completions", "gpt-4o-mini", "sk-other",
        null)))).isEqualTo(FaultKind.SERVER_ERROR);
    assertThat(kindOf(rules.apply(routed("/v1/chat/completions", "o3", "sk-chaos", null))))
        .isEqualTo(FaultKind.SERVER_ERROR);
    assertThat(kindOf(rules.apply(routed("/v1/messages", "claude-sonnet-4-5", null, null))))
        .isEqualTo(FaultKind.OVERLOADED);
    // A path prefix (no wildcard) matches with or without a provider prefix.
    assertThat(kindOf(rules.apply(routed("/anthropic/v1/messages", "claude-sonnet-4-5", null,
        null)))).isEqualTo(FaultKind.OVERLOADED);
    assertThat(kindOf(rules.apply(routed("/v1/embeddings", "text-embedding-3-small", null,
        null)))).isNull();
  }

  @Test
  void theHeadersFaultBeatsEveryRule() {
    FaultRules rules = new FaultRules(List.of(new FaultRule(null, null, null, null,
        fault(FaultKind.SERVER_ERROR, 1))), 1L, ALL);
    Routed asked = routed("/v1/chat/completions", "gpt-4o", null,
        "synthesize; fault=unavailable");
    assertThat(kindOf(rules.apply(asked))).isEqualTo(FaultKind.UNAVAILABLE);
    assertThat(asked.options().mode()).isEqualTo(Mode.SYNTHESIZE);
  }

  @Test
  void aSeededRuleStrikesTheSameRequestsOnEveryRun() {
    List<Boolean> first = strikes(new FaultRules(List.of(new FaultRule(null, null, null, null,
        fault(FaultKind.SERVER_ERROR, 0.5))), 42L, ALL));
    List<Boolean> second = strikes(new FaultRules(List.of(new FaultRule(null, null, null, null,
        fault(FaultKind.SERVER_ERROR, 0.5))), 42L, ALL));
    List<Boolean> otherSeed = strikes(new FaultRules(List.of(new FaultRule(null, null, null,
        null, fault(FaultKind.SERVER_ERROR, 0.5))), 43L, ALL));
    assertThat(first).isEqualTo(second).isNotEqualTo(otherSeed);
    assertThat(first.stream().filter(b -> b).count()).isBetween(10L, 40L);
  }

  private static List<Boolean> strikes(FaultRules rules) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      out.add(kindOf(rules.apply(routed("/v1/chat/completions", "gpt-4o", null, null))) != null);
    }
    return out;
  }

  @Test
  void drawsAreUniformEnough() {
    int below = 0;
    for (int turn = 0; turn < 10_000; turn++) {
      double d = FaultRules.draw(7, 0, turn);
      assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
      below += d < 0.25 ? 1 : 0;
    }
    assertThat(below).isBetween(2_200, 2_800);
  }

  @Test
  void aHeaderFaultOutsideTheAllowListIsRefusedByName() {
    FaultRules rules = new FaultRules(List.of(), null, EnumSet.of(FaultKind.RATE_LIMIT));
    assertThat(rules.refusal(routed("/v1/chat/completions", "gpt-4o", null,
        "synthesize; fault=rate_limit"))).isNull();
    assertThat(rules.refusal(routed("/v1/chat/completions", "gpt-4o", null, null))).isNull();
    var refused = rules.refusal(routed("/v1/chat/completions", "gpt-4o", null,
        "synthesize; fault=disconnect"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.message()).contains("fault 'disconnect'").contains("allowed: rate_limit");
  }
}
