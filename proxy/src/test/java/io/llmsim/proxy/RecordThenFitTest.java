package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.latency.fit.ProfileFit;
import io.llmsim.core.latency.fit.Quantiles;
import io.llmsim.proxy.TimedUpstream.Event;
import io.llmsim.proxy.TimedUpstream.Script;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.profile.Grouping;
import io.llmsim.store.profile.RecordingFit;
import io.llmsim.store.profile.RecordingFitter;
import io.llmsim.testkit.SchedulingNoise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 end to end: a test upstream whose time to first token and gaps are drawn from lognormal
 * distributions is recorded through llmsim over real sockets, and the profile fitted from the store
 * describes what the upstream sent.
 *
 * <p>What the upstream sent is its own send log, not its script: a busy host writes late. Each
 * recorded chunk is never earlier than its write and late by at most the measured scheduling
 * slack, so the fitted TTFT median is never below the sent one, and the fitted gap median is within
 * the worst lateness of the sent one (a late read lengthens one gap and shortens the next). How
 * precisely the fitter recovers a distribution is proven on constructed recordings
 * ({@code FitFromRecordingsTest}); network timing on a shared machine cannot prove precision.
 */
class RecordThenFitTest {
  private static final double TTFT_MU = Math.log(120);
  private static final double TTFT_SIGMA = 0.3;
  private static final double GAP_MU = Math.log(50);
  private static final double GAP_SIGMA = 0.35;
  private static final int STREAMS = 96;
  private static final int TOKENS = 20;
  /** Under a millisecond on a quiet host once compiled (the path is warmed); gaps are ~50 ms. */
  private static final long QUIET_LATE_MILLIS = 25;
  /** Times are whole microseconds; this only absorbs floating-point interpolation. */
  private static final double FLOAT_MS = 1e-6;
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir Path storeDir;
  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();

  private static long lognormalMillis(SplittableRandom random, double mu, double sigma) {
    return Math.max(1, Math.round(Math.exp(mu + sigma * random.nextGaussian())));
  }

  private static String chunk(int stream, String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-fit-" + stream + "\",\"object\":\"chat.completion.chunk\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish
        + "}]}\n\n";
  }

  /** Stream {@code stream}'s answer: its number in every chunk tells the recordings apart. */
  private static Script drawnScript(SplittableRandom random, int stream) {
    List<Event> events = new ArrayList<>();
    events.add(new Event(lognormalMillis(random, TTFT_MU, TTFT_SIGMA),
        chunk(stream, "{\"role\":\"assistant\",\"content\":\"\"}", "null")
            + chunk(stream, "{\"content\":\" tok\"}", "null")));
    for (int i = 1; i < TOKENS; i++) {
      events.add(new Event(lognormalMillis(random, GAP_MU, GAP_SIGMA),
          chunk(stream, "{\"content\":\" tok\"}", "null")));
    }
    events.add(new Event(1, chunk(stream, "{}", "\"stop\"") + "data: [DONE]\n\n"));
    return new Script(200, "text/event-stream", 0, events, -1, false);
  }

  @Test
  void aProfileFittedFromRecordedTrafficDescribesWhatTheUpstreamSent() throws Exception {
    SplittableRandom random = new SplittableRandom(2026);
    AtomicInteger streams = new AtomicInteger();
    try (TimedUpstream upstream = new TimedUpstream();
        LlmSimServer server = TestServers.startForwarding(upstream.url(), storeDir, s -> s)) {
      upstream.scripts(() -> {
        synchronized (random) {
          return drawnScript(random, streams.getAndIncrement());
        }
      });
      // Warm the forwarding path: on a starved host, code that has not run yet runs slowly
      // enough for a first answer to be far later than any scheduling noise.
      try (RawHttpClient client = new RawHttpClient(server.port())) {
        assertThat(client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
            "x-simulation-mode: passthrough")).read().status()).isEqualTo(200);
      }
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<Integer>> done = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        done.add(clients.submit(() -> {
          try (RawHttpClient client = new RawHttpClient(server.port())) {
            return client.send(RawHttpClient.post("/v1/chat/completions", CHAT,
                "x-simulation-mode: record")).read().status();
          }
        }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(200);
      }
      clients.shutdown();
      long slackMicros = noise.slackMillis(QUIET_LATE_MILLIS) * 1000;

      List<RecordedExchange> recordings = Recordings.awaitStored(server, STREAMS);
      assertThat(recordings).hasSize(STREAMS);
      double[] sentTtftMs = new double[STREAMS];
      double[] sentGapsMs = new double[STREAMS * (TOKENS - 1)];
      long worstLateMicros = 0;
      for (int r = 0; r < STREAMS; r++) {
        RecordedExchange e = recordings.get(r);
        TimedUpstream.Sent sent = sentFor(upstream, e);
        assertThat(sent.eventNanos()).hasSize(TOKENS + 1);
        long[] recordedMicros = sent.completedAt(
            e.chunks().stream().map(c -> c.bytes().length).toList(),
            e.chunks().stream().map(RecordedExchange.Chunk::offsetMicros).toList());
        for (int i = 0; i < recordedMicros.length; i++) {
          long late = recordedMicros[i] - sent.eventMicros(i);
          assertThat(late).as("stream %d, event %d: lateness in µs (%s)", r, i, noise)
              .isBetween(0L, slackMicros);
          worstLateMicros = Math.max(worstLateMicros, late);
        }
        sentTtftMs[r] = sent.eventMicros(0) / 1000.0;
        for (int i = 1; i < TOKENS; i++) {
          sentGapsMs[r * (TOKENS - 1) + i - 1] =
              (sent.eventMicros(i) - sent.eventMicros(i - 1)) / 1000.0;
        }
      }

      RecordingFit fit = server.store().submit(s -> RecordingFitter.fit(s, Grouping.MODEL, 10))
          .get();
      assertThat(fit.used()).isEqualTo(STREAMS);
      ProfileFit profile = fit.fits().get(0);
      assertThat(profile.tokensPerChunk().observed()[0]).isEqualTo(1.0);
      // Every recorded TTFT is at or after its sent one, so their medians are in the same order.
      double sentTtft = median(sentTtftMs);
      assertThat(profile.ttft().observed()[0]).as("fitted TTFT median, ms")
          .isBetween(sentTtft - FLOAT_MS, sentTtft + slackMicros / 1000.0);
      // A recorded gap is its sent gap plus its end's lateness minus its start's: within the
      // worst lateness, and so is every order statistic.
      double sentGap = median(sentGapsMs);
      double worstLateMs = worstLateMicros / 1000.0 + FLOAT_MS;
      assertThat(profile.itl().observed()[0]).as("fitted gap median, ms")
          .isBetween(sentGap - worstLateMs, sentGap + worstLateMs);
    }
  }

  private static double median(double[] values) {
    return Quantiles.of(Quantiles.sorted(values), 0.5);
  }

  /** The upstream's log of the answer a recording holds: the stream number in it is unique. */
  private static TimedUpstream.Sent sentFor(TimedUpstream upstream, RecordedExchange e) {
    StringBuilder recorded = new StringBuilder();
    e.chunks().forEach(c -> recorded.append(new String(c.bytes(), StandardCharsets.UTF_8)));
    return upstream.sent.stream()
        .filter(s -> s.script().events().stream().map(Event::text).collect(Collectors.joining())
            .contentEquals(recorded))
        .findFirst().orElseThrow();
  }
}
