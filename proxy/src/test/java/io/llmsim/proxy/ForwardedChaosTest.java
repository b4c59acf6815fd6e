package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.fault.Fault;
import io.llmsim.core.fault.FaultKind;
import io.llmsim.core.fault.FaultRule;
import io.llmsim.core.fault.FaultRules;
import io.llmsim.core.fault.Glob;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.ratelimit.RateLimit;
import io.llmsim.core.ratelimit.RateLimits;
import io.llmsim.proxy.TimedUpstream.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config fault rules and the rate limiter on forwarded traffic: a rule's error fault answers
 * without troubling the upstream, and the upstream's answer carries the buckets' headers.
 */
class ForwardedChaosTest {
  private static final String[] EVENTS = {
      "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}}]}\n\n",
      "data: {\"choices\":[{\"delta\":{}, \"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1}}\n\n",
      "data: [DONE]\n\n"};

  @TempDir Path storeDir;
  private TimedUpstream upstream;
  private LlmSimServer server;

  @BeforeEach
  void start() throws Exception {
    upstream = new TimedUpstream();
    List<FaultRule> rules = List.of(new FaultRule(Glob.of("o3*"), null, null, null,
        new Fault(FaultKind.SERVER_ERROR, 1, 0, 1, null)));
    server = LlmSimServer.start(TestServers.forwardingConfig(upstream.url(), storeDir, s -> s)
        .withMode(Mode.PASSTHROUGH)
        .withChaos(new ChaosSettings(
            new FaultRules(rules, 5L, EnumSet.allOf(FaultKind.class)),
            new RateLimits(true, new RateLimit(60, 1_000), List.of()))));
  }

  @AfterEach
  void stop() {
    server.close();
    upstream.close();
  }

  private RawHttpClient.Response chat(RawHttpClient client, String model) throws IOException {
    return client.send(RawHttpClient.post("/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"stream\":true,\"max_tokens\":500,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}", "Authorization: Bearer sk-forwarded")).read();
  }

  @Test
  void aRulesErrorFaultIsAnsweredWithoutTheUpstream() throws Exception {
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      assertThat(chat(client, "o3-mini").status()).isEqualTo(500);
    }
    assertThat(upstream.received).isEmpty();
    assertThat(server.faultCounter().count(FaultKind.SERVER_ERROR, "openai", "o3-mini"))
        .isEqualTo(1);
    assertThat(server.metrics().requests("openai", "POST /v1/chat/completions",
        Mode.PASSTHROUGH, 500)).isEqualTo(1);
  }

  @Test
  void forwardedAnswersCarryTheBucketsHeaders() throws Exception {
    upstream.script(Script.sse(0, EVENTS));
    try (RawHttpClient client = new RawHttpClient(server.port())) {
      long start = System.nanoTime();
      RawHttpClient.Response first = chat(client, "gpt-4o");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.chunks()).containsExactly(EVENTS);
      assertThat(first.headers()).containsEntry("x-ratelimit-limit-requests", "60")
          .containsEntry("x-ratelimit-remaining-requests", "59")
          .containsEntry("x-ratelimit-limit-tokens", "1000");
      // The whole max_tokens is reserved while the answer is unknown (1,000 a minute refill
      // slowly enough for the margin to hold on a busy machine).
      long firstRemaining = Long.parseLong(first.headers().get("x-ratelimit-remaining-tokens"));
      assertThat(firstRemaining).isLessThanOrEqualTo(1_000 - 250);

      RawHttpClient.Response second = chat(client, "gpt-4o");
      // One request refills each second (60 a minute): a loaded host may have earned some back.
      long refilled = (System.nanoTime() - start) / 1_000_000_000L;
      assertThat(Long.parseLong(second.headers().get("x-ratelimit-remaining-requests")))
          .isBetween(58L, Math.min(59L, 58 + refilled));
      // The first was settled with its one output token, giving back 499 of its 500; without
      // that, the second's reservation would leave about 500 less than the first's.
      long secondRemaining = Long.parseLong(second.headers().get("x-ratelimit-remaining-tokens"));
      assertThat(secondRemaining).isGreaterThan(firstRemaining - 250);
    }
    assertThat(upstream.received).hasSize(2);
  }
}
