package io.llmsim.proxy;

import static io.llmsim.proxy.Recordings.CHAT;
import static io.llmsim.proxy.Recordings.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RocksDbExchangeStore;
import io.llmsim.testkit.SchedulingNoise;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replayed chunks arrive at their recorded offsets divided by the speed: never early (offsets
 * count from the request's arrival, after the client sent it), and late by at most the measured
 * scheduling slack. Gaps are not compared: one late chunk makes a gap longer and the next one
 * shorter. The exact offsets are the plan's, checked without sockets in {@code RecordedPlanTest}.
 */
class ReplayTimingTest {
  private static final String STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  /** Headers at 50 ms, chunks at 100, 300 and 500 ms: two 200 ms gaps. */
  private static final long[] RECORDED_MILLIS = {100, 300, 500};

  /** A quiet host's allowance: the writer's tick, loopback, and code the JIT has not compiled. */
  private static final long QUIET_LATE_MILLIS = 100;

  @TempDir Path storeDir;
  @RegisterExtension final SchedulingNoise noise = new SchedulingNoise();

  @Test
  void atNormalSpeedChunksKeepTheirRecordedOffsets() throws Exception {
    List<Long> arrivals = replay(ReplaySettings.DEFAULTS, null);
    assertOffsets(arrivals, 1.0);
  }

  @Test
  void twiceAsFastHalvesTheOffsets() throws Exception {
    List<Long> arrivals = replay(ReplaySettings.DEFAULTS, "x-simulation-mode: replay; speed=2x");
    assertOffsets(arrivals, 2.0);
  }

  @Test
  void theServersHalfSpeedDoublesThem() throws Exception {
    ReplaySettings halfSpeed = new ReplaySettings(new Speed(0.5), "error", false, false,
        List.of());
    List<Long> arrivals = replay(halfSpeed, null);
    assertOffsets(arrivals, 0.5);
  }

  @Test
  void maxSpeedSendsAtOnce() throws Exception {
    List<Long> arrivals = replay(ReplaySettings.DEFAULTS, "x-simulation-mode: replay; speed=max");
    // 500 ms at 1x: all at once means as soon as the host gets to it.
    assertThat(arrivals.get(2)).as("%s", noise)
        .isLessThanOrEqualTo(noise.slackMillis(QUIET_LATE_MILLIS)).isLessThan(RECORDED_MILLIS[2]);
  }

  /**
   * The first request after start, with the store's thread busy for 1.2 s (a cold store, a slow
   * disk): the answer starts late, but its 14 chunks, 50 ms apart, keep their recorded spacing.
   * Timed from the request's arrival they would all be overdue when the read completed, and go
   * out at once (a span near 0 instead of 650 ms). The slack is wide, for a loaded machine where
   * the first chunk, or the client reading it, can be held up for a while.
   */
  @Test
  void aSlowStoreReadDelaysTheFirstAnswerInsteadOfCompressingIt() throws Exception {
    List<RecordedExchange.Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      chunks.add(chunk(20 + 50L * i, "data: " + i + "\n\n"));
    }
    // Written before the server starts, so the first request finds nothing cached and reads.
    try (ExchangeStore store = RocksDbExchangeStore.open(storeDir)) {
      store.put(Recordings.streamed("000000000001ab", CHAT, "gpt-4o", STREAM, 10, chunks, true));
    }
    try (LlmSimServer server = TestServers.startReplay(storeDir, ReplaySettings.DEFAULTS);
        RawHttpClient client = new RawHttpClient(server.port())) {
      CountDownLatch busy = new CountDownLatch(1);
      server.store().submit(s -> {
        busy.countDown();
        sleep(1_200);
        return null;
      });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      long sent = System.nanoTime();
      RawHttpClient.Response r = client.send(RawHttpClient.post("/v1/chat/completions", STREAM))
          .read();

      assertThat(r.chunks()).hasSize(14);
      List<Long> arrivals = r.chunkArrivalNanos();
      long firstMillis = TimeUnit.NANOSECONDS.toMillis(arrivals.get(0) - sent);
      assertThat(firstMillis).as("the answer waited for the read").isGreaterThanOrEqualTo(500);
      long recordedFirst = chunks.get(0).offsetMicros() / 1000;
      for (int i = 0; i < arrivals.size(); i++) {
        long recorded = chunks.get(i).offsetMicros() / 1000 - recordedFirst;
        long seen = TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(0));
        // Never early against the request: the plan only ever moves later.
        assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - sent)).as("chunk %d", i)
            .isGreaterThanOrEqualTo(chunks.get(i).offsetMicros() / 1000);
        // A late first chunk shortens this gap by as much as it was late.
        assertThat(seen).as("chunk %d after the first, recorded %d ms after it", i, recorded)
            .isGreaterThanOrEqualTo(recorded - 200);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Arrival of each chunk in milliseconds after the request was sent. */
  private List<Long> replay(ReplaySettings settings, String header) throws Exception {
    try (LlmSimServer server = TestServers.startReplay(storeDir, settings);
        RawHttpClient client = new RawHttpClient(server.port())) {
      Recordings.put(server, Recordings.streamed("000000000001aa", CHAT, "gpt-4o", STREAM, 50,
          List.of(chunk(RECORDED_MILLIS[0], "data: 1\n\n"), chunk(RECORDED_MILLIS[1], "data: 2\n\n"),
              chunk(RECORDED_MILLIS[2], "data: [DONE]\n\n")), true));
      // Warm the cache and the connection, so the timed request measures replay alone.
      client.send(RawHttpClient.post("/v1/chat/completions", STREAM,
          "x-simulation-mode: replay; speed=max")).read();

      String request = header == null ? RawHttpClient.post("/v1/chat/completions", STREAM)
          : RawHttpClient.post("/v1/chat/completions", STREAM, header);
      long sent = System.nanoTime();
      RawHttpClient.Response r = client.send(request).read();
      assertThat(r.chunks()).containsExactly("data: 1\n\n", "data: 2\n\n", "data: [DONE]\n\n");
      return r.chunkArrivalNanos().stream()
          .map(at -> TimeUnit.NANOSECONDS.toMillis(at - sent)).toList();
    }
  }

  private void assertOffsets(List<Long> arrivalMillis, double speed) {
    long slack = noise.slackMillis(QUIET_LATE_MILLIS);
    for (int i = 0; i < RECORDED_MILLIS.length; i++) {
      long due = Math.round(RECORDED_MILLIS[i] / speed);
      assertThat(arrivalMillis.get(i)).as("chunk %d, due at %d ms (%s)", i, due, noise)
          .isBetween(due, due + slack);
    }
  }
}
