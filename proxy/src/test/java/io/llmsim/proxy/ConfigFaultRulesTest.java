package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmsim.core.api.ApiKeys;
import io.llmsim.core.fault.Fault;
import io.llmsim.core.fault.FaultKind;
import io.llmsim.core.fault.FaultRule;
import io.llmsim.core.fault.FaultRules;
import io.llmsim.core.fault.Glob;
import io.llmsim.core.ratelimit.RateLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fault rules from the config, against a real server: repeatable chaos, matching, precedence. */
class ConfigFaultRulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static LlmSimServer start(List<FaultRule> rules, Long seed, Set<FaultKind> headerFaults)
      throws InterruptedException {
    return LlmSimServer.start(ServerConfig.defaults().withPort(0)
        .withSynthesis(TestServers.instant())
        .withChaos(new ChaosSettings(new FaultRules(rules, seed, headerFaults), RateLimits.OFF)));
  }

  private static FaultRule rule(Glob model, Glob path, String key, String provider,
      FaultKind kind, double rate) {
    return new FaultRule(model, path, key == null ? null : ApiKeys.hash(key), provider,
        new Fault(kind, rate, 0, 1, null));
  }

  /** The statuses of 50 chat requests sent one after another on one connection. */
  private static List<Integer> fiftyStatuses(LlmSimServer server) throws IOException {
    List<Integer> statuses = new ArrayList<>();
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      for (int i = 0; i < 50; i++) {
        statuses.add(client.send(RawHttpClient.post("/v1/chat/completions", CHAT)).read()
            .status());
      }
    }
    return statuses;
  }

  @Test
  void aSeededHalfRateRuleStrikesTheSameRequestsOnTwoRuns() throws Exception {
    List<FaultRule> rules = List.of(rule(Glob.of("gpt-4o*"), null, null, null,
        FaultKind.SERVER_ERROR, 0.5));
    List<Integer> first;
    List<Integer> second;
    try (LlmSimServer server = start(rules, 1234L, EnumSet.allOf(FaultKind.class))) {
      first = fiftyStatuses(server);
      assertThat(server.faultCounter().count(FaultKind.SERVER_ERROR, "openai", "gpt-4o-mini"))
          .isEqualTo(first.stream().filter(s -> s == 500).count());
    }
    try (LlmSimServer server = start(rules, 1234L, EnumSet.allOf(FaultKind.class))) {
      second = fiftyStatuses(server);
    }
    assertThat(first).containsOnly(200, 500).contains(200, 500);
    assertThat(second).isEqualTo(first);
    assertThat(first.stream().filter(s -> s == 500).count()).isBetween(10L, 40L);
  }

  @Test
  void rulesMatchByModelPathKeyAndProviderAndTheHeaderWins() throws Exception {
    List<FaultRule> rules = List.of(
        rule(Glob.of("gpt-4o*"), null, "sk-chaos-key", null, FaultKind.AUTH, 1),
        rule(null, Glob.of("/v1/messages"), null, "anthropic", FaultKind.OVERLOADED, 1),
        rule(Glob.of("o3*"), Glob.of("/v1/chat/*"), null, null, FaultKind.CONTEXT_LENGTH, 1));
    try (LlmSimServer server = start(rules, null, EnumSet.allOf(FaultKind.class));
        RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "Authorization: Bearer sk-chaos-key")).read().status()).isEqualTo(401);
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "Authorization: Bearer sk-another-key")).read().status()).isEqualTo(200);
      RawHttpClient.Response context = client.send(RawHttpClient.post("/v1/chat/completions",
          CHAT.replace("gpt-4o-mini", "o3-mini"))).read();
      assertThat(context.status()).isEqualTo(400);
      assertThat(JSON.readTree(context.body()).at("/error/code").asText())
          .isEqualTo("context_length_exceeded");
      RawHttpClient.Response overloaded = client.send(RawHttpClient.post("/v1/messages",
          CHAT.replace("gpt-4o-mini", "claude-sonnet-4-5"), "anthropic-version: 2023-06-01"))
          .read();
      assertThat(overloaded.status()).isEqualTo(529);
      // The header's own fault beats the rule that matches.
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "Authorization: Bearer sk-chaos-key",
          "x-simulation-mode: synthesize; fault=unavailable")).read().status()).isEqualTo(503);
    }
  }

  @Test
  void aHeaderFaultTheServerDoesNotAllowIsA400NamingIt() throws Exception {
    try (LlmSimServer server = start(List.of(), null, EnumSet.of(FaultKind.RATE_LIMIT));
        RawHttpClient client = new RawHttpClient(server.port())) {
      RawHttpClient.Response refused = client.send(RawHttpClient.post("/v1/chat/completions",
          CHAT, "x-simulation-mode: synthesize; fault=disconnect")).read();
      assertThat(refused.status()).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).at("/error/param").asText())
          .isEqualTo("x-simulation-mode");
      assertThat(JSON.readTree(refused.body()).at("/error/message").asText())
          .contains("fault 'disconnect' may not be chosen").contains("allowed: rate_limit");
      RawHttpClient.Response anthropic = client.send(RawHttpClient.post("/v1/messages",
          CHAT.replace("gpt-4o-mini", "claude-sonnet-4-5"), "anthropic-version: 2023-06-01",
          "x-simulation-mode: synthesize; fault=overloaded")).read();
      assertThat(anthropic.status()).isEqualTo(400);
      assertThat(JSON.readTree(anthropic.body()).at("/error/type").asText())
          .isEqualTo("invalid_request_error");
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
          "x-simulation-mode: synthesize; fault=rate_limit")).read().status()).isEqualTo(429);
    }
  }
}
