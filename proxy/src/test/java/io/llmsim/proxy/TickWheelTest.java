package io.llmsim.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tick wheel on an {@link EmbeddedChannel}'s loop, with a clock the test moves by hand. */
class TickWheelTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private final MockTicker ticker = Ticker.newMockTicker();
  private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
  private final TickWheel wheel = new TickWheel(channel.eventLoop(), MS);
  private final List<String> woken = new ArrayList<>();

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private TickWheel.Sleeper named(String name) {
    return tick -> woken.add(name + "@" + tick);
  }

  private void advanceMicros(long micros) {
    ticker.advance(micros, TimeUnit.MICROSECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void everythingDueAtOneTickSharesOneTaskAndWakesInOrder() {
    for (int i = 0; i < 100; i++) {
      assertThat(wheel.sleepUntil(3, named("s" + i))).isTrue();
    }
    assertThat(wheel.pendingTicks()).isEqualTo(1);
    advanceMicros(2_999);
    assertThat(woken).isEmpty();
    advanceMicros(1);
    assertThat(woken).hasSize(100).startsWith("s0@3", "s1@3").endsWith("s99@3");
    assertThat(wheel.pendingTicks()).isZero();
    advanceMicros(10_000);
    assertThat(woken).hasSize(100); // each once
  }

  @Test
  void ticksComeInTheirOrderNeverEarly() {
    wheel.sleepUntil(5, named("late"));
    wheel.sleepUntil(2, named("early"));
    wheel.sleepUntil(5, named("late2"));
    assertThat(wheel.pendingTicks()).isEqualTo(2);
    advanceMicros(2_500);
    assertThat(woken).containsExactly("early@2");
    advanceMicros(2_500);
    assertThat(woken).containsExactly("early@2", "late@5", "late2@5");
  }

  @Test
  void aSleeperMaySleepAgainWhileWoken() {
    wheel.sleepUntil(1, new TickWheel.Sleeper() {
      @Override
      public void wake(long tick) {
        woken.add("again@" + tick);
        if (tick < 3) {
          assertThat(wheel.sleepUntil(tick + 1, this)).isTrue();
        }
      }
    });
    advanceMicros(1_000);
    advanceMicros(1_000);
    advanceMicros(1_000);
    advanceMicros(1_000);
    assertThat(woken).containsExactly("again@1", "again@2", "again@3");
  }

  @Test
  void aTickBeyondTheWheelsReachIsLeftToTheCaller() {
    assertThat(wheel.sleepUntil(2_046, named("near"))).isTrue();
    assertThat(wheel.sleepUntil(2_047, named("far"))).isFalse();
    advanceMicros(1_000);
    // Now tick 2,047 is in reach, but its slot is the one tick 2,047 - 2,048 would use: free.
    assertThat(wheel.sleepUntil(2_047, named("far"))).isTrue();
    assertThat(wheel.pendingTicks()).isEqualTo(2);
  }

  @Test
  void aTickAlreadyPastWakesAtOnce() {
    advanceMicros(5_500);
    assertThat(wheel.sleepUntil(5, named("past"))).isTrue();
    channel.runScheduledPendingTasks();
    assertThat(woken).containsExactly("past@5");
  }

  @Test
  void theTickOfADeadlineIsTheFirstAtOrAfterIt() {
    assertThat(wheel.tickAtOrAfter(0)).isZero();
    assertThat(wheel.tickAtOrAfter(1)).isEqualTo(1);
    assertThat(wheel.tickAtOrAfter(MS)).isEqualTo(1);
    assertThat(wheel.tickAtOrAfter(MS + 1)).isEqualTo(2);
  }
}
