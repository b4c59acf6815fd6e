package io.llmsim.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.api.ApiRequest;
import io.llmsim.core.fault.Glob;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets on a hand-stepped clock: admission, retry delays, settlement, headers. */
class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

  private RateLimiter limiter(long rpm, long tpm) {
    return new RateLimiter(new RateLimits(true, new RateLimit(rpm, tpm), List.of()), clock::get);
  }

  @Test
  void aBurstBeyondTheRpmIsRefusedUntilTheBucketHasRoomAgain() {
    RateLimiter limiter = limiter(60, 0);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.admit("k", "gpt-4o", 10, 0).decision().admitted()).isTrue();
    }
    RateLimitDecision refused = limiter.admit("k", "gpt-4o", 10, 0).decision();
    assertThat(refused.exceeded()).isEqualTo(RateLimitDecision.Exceeded.REQUESTS);
    // 60 per minute refills one request a second.
    assertThat(refused.retryAfterNanos()).isBetween(SECOND - 1_000, SECOND);
    assertThat(refused.requests().remaining()).isZero();

    clock.addAndGet(refused.retryAfterNanos());
    assertThat(limiter.admit("k", "gpt-4o", 10, 0).decision().admitted()).isTrue();
    // Another key and another model have buckets of their own.
    assertThat(limiter.admit("other", "gpt-4o", 10, 0).decision().admitted()).isTrue();
    assertThat(limiter.admit("k", "gpt-4o-mini", 10, 0).decision().admitted()).isTrue();
  }

  @Test
  void concurrentRequestsNeverTakeMoreThanTheBucketHolds() throws Exception {
    RateLimiter limiter = limiter(1_000, 0); // the clock stands still: no refill
    java.util.concurrent.atomic.AtomicInteger admitted =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 250; i++) {
          if (limiter.admit("k", "m", 1, 0).decision().admitted()) {
            admitted.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    assertThat(admitted.get()).isEqualTo(1_000);
    assertThat(limiter.admit("k", "m", 1, 0).decision().requests().remaining()).isZero();
  }

  @Test
  void tokensReserveTheMaximumOutputAndSettleWithTheRealOne() {
    RateLimiter limiter = limiter(0, 1_000);
    RateLimiter.Ticket first = limiter.admit("k", "m", 100, 700);
    assertThat(first.decision().admitted()).isTrue();
    assertThat(first.decision().tokens().remaining()).isEqualTo(200);

    RateLimitDecision second = limiter.admit("k", "m", 100, 700).decision();
    assertThat(second.exceeded()).isEqualTo(RateLimitDecision.Exceeded.TOKENS);
    // 600 missing at 1,000 a minute: 36 seconds.
    assertThat(second.retryAfterNanos()).isBetween(36 * SECOND - 1_000_000, 36 * SECOND);

    first.settleOutput(20); // used 120 of the 800 reserved
    first.settleOutput(500); // only the first settlement counts
    assertThat(first.now()[1].remaining()).isEqualTo(880);
    assertThat(limiter.admit("k", "m", 100, 700).decision().admitted()).isTrue();
  }

  @Test
  void aRequestLargerThanTheBucketWaitsForAFullOne() {
    RateLimiter limiter = limiter(0, 1_000);
    limiter.admit("k", "m", 500, 0).settleOutput(0);
    RateLimitDecision big = limiter.admit("k", "m", 5_000, 0).decision();
    assertThat(big.admitted()).isFalse();
    assertThat(big.retryAfterNanos()).isBetween(30 * SECOND - 1_000_000, 30 * SECOND);
  }

  @Test
  void pairsFullAgainAreDroppedWhileAKeyThatKeepsSendingKeepsItsLimit() {
    RateLimiter limiter = limiter(60, 0);
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.admit("steady", "m", 1, 0).decision().admitted()).isTrue();
    }
    for (int i = 0; i < 1_000; i++) {
      limiter.admit("key-" + i, "m", 1, 0);
      limiter.admit("k", "model-" + i, 1, 0);
    }
    assertThat(limiter.size()).isEqualTo(2_001);

    // Half a minute later the one-request pairs are full again; "steady" has 30 of 60 back.
    clock.addAndGet(30 * SECOND);
    assertThat(limiter.admit("steady", "m", 1, 0).decision().admitted()).isTrue();
    assertThat(limiter.size()).isEqualTo(1);
    for (int i = 0; i < 29; i++) {
      assertThat(limiter.admit("steady", "m", 1, 0).decision().admitted()).isTrue();
    }
    RateLimitDecision refused = limiter.admit("steady", "m", 1, 0).decision();
    assertThat(refused.exceeded()).isEqualTo(RateLimitDecision.Exceeded.REQUESTS);
    assertThat(refused.retryAfterNanos()).isBetween(SECOND - 1_000, SECOND);
    // A dropped key starts from a full bucket, as it would have had anyway.
    assertThat(limiter.admit("key-7", "m", 1, 0).decision().requests().remaining()).isEqualTo(59);
  }

  @Test
  void noSweepBeforeItsIntervalAndNoneOfAPairStillRefilling() {
    RateLimiter limiter = new RateLimiter(new RateLimits(true, new RateLimit(6, 0), List.of(
        new RateLimits.ModelLimit(Glob.of("fast"), new RateLimit(60, 0)))), clock::get);
    limiter.admit("a", "fast", 1, 0); // full again a second later
    clock.addAndGet((RateLimiter.SWEEP_EVERY_SECONDS - 1) * SECOND);
    limiter.admit("b", "slow", 1, 0); // full again ten seconds later
    assertThat(limiter.size()).isEqualTo(2); // "a" is full, but its sweep is not due yet

    clock.addAndGet(SECOND);
    limiter.admit("c", "slow", 1, 0);
    // The sweep dropped "a"; "b" has been refilling for one second only and keeps its state.
    assertThat(limiter.size()).isEqualTo(2);
    assertThat(limiter.admit("b", "slow", 1, 0).decision().requests().remaining()).isEqualTo(4);
  }

  @Test
  void aTicketOfADroppedPairSettlesIntoTheKeysLiveBuckets() {
    RateLimiter limiter = limiter(0, 1_000);
    RateLimiter.Ticket open = limiter.admit("k", "m", 10, 0); // no max_tokens: reserves 10
    clock.addAndGet(61 * SECOND);
    limiter.admit("other", "m", 10, 0); // sweeps the pair of "k", full again
    assertThat(limiter.size()).isEqualTo(1);

    open.settleOutput(500); // took 500 more than it reserved: the key owes them
    assertThat(open.now()[1].remaining()).isEqualTo(500);
    assertThat(limiter.admit("k", "m", 600, 0).decision().exceeded())
        .isEqualTo(RateLimitDecision.Exceeded.TOKENS);
  }

  @Test
  void atTheCapArbitraryPairsAreDroppedToMakeRoom() {
    RateLimiter limiter =
        new RateLimiter(new RateLimits(true, new RateLimit(60, 0), List.of()), clock::get, 100);
    for (int i = 0; i < 1_000; i++) {
      assertThat(limiter.admit("key-" + i, "m", 1, 0).decision().admitted()).isTrue();
      assertThat(limiter.size()).isLessThanOrEqualTo(100);
    }
    // The newest pair is kept, and still counts.
    assertThat(limiter.admit("key-999", "m", 1, 0).decision().requests().remaining())
        .isEqualTo(58);
  }

  @Test
  void perModelOverridesWinAndUnlimitedModelsGetNoTicket() {
    RateLimits limits = new RateLimits(true, new RateLimit(100, 0), List.of(
        new RateLimits.ModelLimit(Glob.of("gpt-4o*"), new RateLimit(2, 0)),
        new RateLimits.ModelLimit(Glob.of("free-*"), new RateLimit(0, 0))));
    RateLimiter limiter = new RateLimiter(limits, clock::get);
    assertThat(limiter.admit("k", "gpt-4o-mini", 1, 0).decision().requests().limit()).isEqualTo(2);
    assertThat(limiter.admit("k", "claude", 1, 0).decision().requests().limit()).isEqualTo(100);
    assertThat(limiter.admit("k", "free-model", 1, 0)).isNull();
  }

  @Test
  void headersOfEachProviderComeFromTheBuckets() {
    RateLimitDecision.BucketState requests = new RateLimitDecision.BucketState(60, 59, SECOND);
    RateLimitDecision.BucketState tokens = new RateLimitDecision.BucketState(1000, 880, 7_200_000_000L);
    ResponsePlan plan = ResponsePlan.of(200, List.of(Map.entry("content-type", "application/json"),
        Map.entry("x-ratelimit-remaining-requests", "9999"),
        Map.entry("anthropic-ratelimit-input-tokens-limit", "2000000")), new byte[0], 0);

    Map<String, String> openai = headers(RateLimitHeaders.apply(plan, "openai", requests, tokens));
    assertThat(openai).containsEntry("x-ratelimit-limit-requests", "60")
        .containsEntry("x-ratelimit-remaining-requests", "59")
        .containsEntry("x-ratelimit-reset-requests", "1s")
        .containsEntry("x-ratelimit-remaining-tokens", "880")
        .containsEntry("x-ratelimit-reset-tokens", "7.2s");
    assertThat(headers(RateLimitHeaders.apply(plan, "azure", requests, tokens)))
        .containsEntry("x-ratelimit-remaining-requests", "59")
        .doesNotContainKey("x-ratelimit-limit-requests");
    Map<String, String> anthropic =
        headers(RateLimitHeaders.apply(plan, "anthropic", requests, tokens));
    assertThat(anthropic).containsEntry("anthropic-ratelimit-requests-remaining", "59")
        .containsEntry("anthropic-ratelimit-tokens-limit", "1000")
        .doesNotContainKey("anthropic-ratelimit-input-tokens-limit");
    assertThat(anthropic.get("anthropic-ratelimit-tokens-reset")).endsWith("Z");
  }

  @Test
  void goDurationsAsOpenAiWritesThem() {
    assertThat(RateLimitHeaders.goDuration(12_000_000)).isEqualTo("12ms");
    assertThat(RateLimitHeaders.goDuration(SECOND)).isEqualTo("1s");
    assertThat(RateLimitHeaders.goDuration(360 * SECOND)).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.goDuration(3_723_500_000_000L)).isEqualTo("1h2m3.5s");
    assertThat(RateLimitHeaders.retryAfter(500_000_000L)).containsExactly(
        Map.entry("retry-after", "1"), Map.entry("retry-after-ms", "500"));
  }

  @Test
  void settlingFramesReadTheLastReportedOutput() {
    RateLimiter limiter = limiter(0, 1_000);
    RateLimiter.Ticket ticket = limiter.admit("k", "m", 100, 800);
    FrameSource frames = new SettlingFrames(FrameSource.of(List.of(
        frame("event: message_start\ndata: {\"usage\":{\"input_tokens\":100,\"output_tokens\":1}}\n\n"),
        frame("event: message_delta\ndata: {\"usage\":{\"output_tokens\": 42}}\n\n"))), ticket, true);
    while (frames.next() != null) {
      // drain
    }
    assertThat(ticket.now()[1].remaining()).isEqualTo(1_000 - 142);
    assertThat(SettlingFrames.usage(bytes("{\"usage\":{\"completion_tokens\":7}}"))).isEqualTo(7);
    assertThat(SettlingFrames.usage(bytes("{\"candidatesTokenCount\": 3}"))).isEqualTo(3);
    assertThat(SettlingFrames.usage(bytes("{\"choices\":[]}"))).isEqualTo(-1);
  }

  @Test
  void estimatesCountTheTextAndTheRequestedOutput() {
    ApiRequest chat = new ApiRequest("POST", "/v1/chat/completions", Map.of(),
        bytes("{\"model\":\"gpt-4o\",\"max_tokens\":300,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hello there\"}]}"), 0);
    TokenEstimate estimate = TokenEstimate.of(chat);
    assertThat(estimate.maxOutputTokens()).isEqualTo(300);
    assertThat(estimate.inputTokens()).isBetween(4L, 12L);
    ApiRequest gemini = new ApiRequest("POST", "/v1beta/models/gemini-2.0-flash:generateContent",
        Map.of(), bytes("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
            + "\"generationConfig\":{\"maxOutputTokens\":50}}"), 0);
    assertThat(TokenEstimate.of(gemini).maxOutputTokens()).isEqualTo(50);
    assertThat(TokenEstimate.of(new ApiRequest("POST", "/x", Map.of(), bytes("nope"), 0)))
        .isEqualTo(new TokenEstimate(0, 0));
  }

  private static Frame frame(String text) {
    return new Frame(0, bytes(text));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> headers(ResponsePlan plan) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    plan.headers().forEach(h -> out.put(h.getKey(), h.getValue()));
    return out;
  }
}
