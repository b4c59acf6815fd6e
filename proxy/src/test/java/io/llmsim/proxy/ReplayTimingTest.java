package io.llmsim.proxy;

import static io.llmsim.proxy.Recordings.CHAT;
import static io.llmsim.proxy.Recordings.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.replay.ReplaySettings;
import io.llmsim.testkit.SchedulingNoise;
import java.nio.file.Path;
import java.util.List;
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
