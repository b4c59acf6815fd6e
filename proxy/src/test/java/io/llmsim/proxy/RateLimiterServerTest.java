package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmsim.core.fault.FaultRules;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.mode.Speed;
import io.llmsim.core.ratelimit.RateLimit;
import io.llmsim.core.ratelimit.RateLimits;
import io.llmsim.core.synth.SynthesisSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The token-bucket rate limiter against a real server: bursts past the RPM get 429s whose delay,
 * when honoured, is enough; TPM reserves the requested output and settles with the real one; the
 * headers follow the buckets; openai-java's retries get through. Each test uses its own API key, so
 * they do not share buckets. Limits of 60 a minute refill one a second: nothing waits long.
 */
class RateLimiterServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LlmSimServer start(long rpm, long tpm) throws InterruptedException {
    // A two-word answer: settlement gives back nearly all of a large max_tokens.
    SynthesisSettings synthesis = new SynthesisSettings(ProfileCatalog.builtIn(),
        Generators.fixed("all good"), "instant", Speed.NORMAL);
    return LlmSimServer.start(ServerConfig.defaults().withPort(0).withSynthesis(synthesis)
        .withChaos(new ChaosSettings(FaultRules.NONE,
            new RateLimits(true, new RateLimit(rpm, tpm), List.of()))));
  }

  private static String chat(int maxTokens) {
    return "{\"model\":\"gpt-4o-mini\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void aBurstBeyondTheRpmGets429sWhoseRetryAfterIsEnough() throws Exception {
    try (LlmSimServer server = start(60, 0);
        RawHttpClient client = new RawHttpClient(server.port())) {
      String key = "Authorization: Bearer sk-burst";
      List<Long> remaining = new ArrayList<>();
      RawHttpClient.Response refused = null;
      // The bucket refills one request a second: a slow (loaded) host earns a request back for
      // every second the burst takes, so the bounds below count the seconds actually spent.
      long start = System.nanoTime();
      long secondAnswered = 0;
      while (refused == null && remaining.size() < 1_000) {
        RawHttpClient.Response r =
            client.send(RawHttpClient.post("/v1/chat/completions", chat(5), key)).read();
        if (r.status() == 429) {
          refused = r;
        } else {
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.headers()).containsEntry("x-ratelimit-limit-requests", "60");
          remaining.add(Long.parseLong(r.headers().get("x-ratelimit-remaining-requests")));
          if (remaining.size() == 2) {
            secondAnswered = System.nanoTime();
          }
        }
      }
      long refills = (System.nanoTime() - start) / 1_000_000_000L + 1;
      assertThat(refused).as("a 429 once the bucket is empty").isNotNull();
      // The whole bucket went through first, plus no more than what refilled meanwhile.
      assertThat(remaining).hasSizeBetween(60, 60 + (int) refills);
      assertThat(remaining.get(0)).isEqualTo(59);
      assertThat(remaining.get(1)).isBetween(58L,
          58 + (secondAnswered - start) / 1_000_000_000L + 1);

      long retryMs = Long.parseLong(refused.headers().get("retry-after-ms"));
      assertThat(retryMs).isBetween(1L, 1_000L);
      assertThat(refused.headers()).containsEntry("retry-after", "1")
          .containsEntry("x-ratelimit-remaining-requests", "0");
      var error = JSON.readTree(refused.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(error.path("type").asText()).isEqualTo("requests");
      assertThat(error.path("message").asText()).contains("requests per min (RPM): Limit 60");
      assertThat(server.metrics().render())
          .contains("llmsim_rate_limited_total{limit=\"requests\",provider=\"openai\"} 1.0");

      Thread.sleep(retryMs + 20);
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", chat(5), key)).read()
          .status()).isEqualTo(200);
      // Another key has a bucket of its own.
      assertThat(client.send(RawHttpClient.post("/v1/chat/completions", chat(5),
          "Authorization: Bearer sk-someone-else")).read().status()).isEqualTo(200);
    }
  }

  @Test
  void tokensReserveMaxTokensAndSettleWithTheRealOutput() throws Exception {
    try (LlmSimServer server = start(0, 2_000);
        RawHttpClient client = new RawHttpClient(server.port())) {
      String key = "Authorization: Bearer sk-tokens";
      RawHttpClient.Response first =
          client.send(RawHttpClient.post("/v1/chat/completions", chat(1_500), key)).read();
      assertThat(first.status()).isEqualTo(200);
      long afterFirst = Long.parseLong(first.headers().get("x-ratelimit-remaining-tokens"));
      // The whole max_tokens was reserved before the answer was known.
      assertThat(afterFirst).isLessThanOrEqualTo(500).isGreaterThan(400);
      assertThat(first.headers().get("x-ratelimit-limit-tokens")).isEqualTo("2000");

      // Settled with the two-word answer: a second large reservation fits.
      RawHttpClient.Response second =
          client.send(RawHttpClient.post("/v1/chat/completions", chat(1_500), key)).read();
      assertThat(second.status()).isEqualTo(200);

      // One that asks for more than the whole bucket waits for a full bucket, which it is not.
      RawHttpClient.Response third =
          client.send(RawHttpClient.post("/v1/chat/completions", chat(5_000), key)).read();
      assertThat(third.status()).isEqualTo(429);
      var error = JSON.readTree(third.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("tokens");
      assertThat(error.path("message").asText()).contains("tokens per min (TPM): Limit 2000");
      long retryMs = Long.parseLong(third.headers().get("retry-after-ms"));
      assertThat(retryMs).isBetween(1L, 60_000L);
      assertThat(Long.parseLong(third.headers().get("retry-after")))
          .isEqualTo((retryMs + 999) / 1000);
    }
  }

  @Test
  void anthropicAnswersCarryTheBucketsInItsHeaders() throws Exception {
    try (LlmSimServer server = start(60, 100_000);
        RawHttpClient client = new RawHttpClient(server.port())) {
      String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      List<Long> remaining = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/messages", body,
            "anthropic-version: 2023-06-01", "x-api-key: sk-ant-limits")).read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("anthropic-ratelimit-requests-limit", "60")
            .containsEntry("anthropic-ratelimit-tokens-limit", "100000")
            .doesNotContainKey("anthropic-ratelimit-input-tokens-limit");
        assertThat(r.headers().get("anthropic-ratelimit-requests-reset")).endsWith("Z");
        remaining.add(Long.parseLong(r.headers().get("anthropic-ratelimit-requests-remaining")));
      }
      assertThat(remaining.get(0)).isEqualTo(59);
      assertThat(remaining.get(2)).isLessThan(remaining.get(0));
    }
  }

  @Test
  void openAiJavaWithRetriesGetsThroughAfterA429FromTheLimiter() throws Exception {
    // 20 a minute: one request every 3 s, so the SDK's call surely meets an empty bucket.
    try (LlmSimServer server = start(20, 0)) {
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
          .model("gpt-4o-mini").maxTokens(5).addUserMessage("hi").build();
      OpenAIClient warm = OpenAIOkHttpClient.builder().baseUrl(server.baseUri() + "/v1")
          .apiKey("sk-warm-up").maxRetries(0).build();
      try {
        warm.chat().completions().create(params); // loads the SDK's classes: no pause later
      } finally {
        warm.close();
      }
      OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(server.baseUri() + "/v1")
          .apiKey("sk-sdk-retry").maxRetries(2).build();
      try (RawHttpClient client = new RawHttpClient(server.port())) {
        int status = 200;
        for (int i = 0; i < 30 && status == 200; i++) {
          status = client.send(RawHttpClient.post("/v1/chat/completions", chat(5),
              "Authorization: Bearer sk-sdk-retry")).read().status();
        }
        assertThat(status).isEqualTo(429); // the bucket is empty now
      }
      try {
        ChatCompletion completion = openai.chat().completions().create(params);
        assertThat(completion.choices()).isNotEmpty();
      } finally {
        openai.close();
      }
      // The burst's 429 and at least one the SDK met and waited out.
      assertThat(server.metrics().render()).containsPattern(
          "llmsim_rate_limited_total\\{limit=\"requests\",provider=\"openai\"\\} [2-9]");
    }
  }
}
