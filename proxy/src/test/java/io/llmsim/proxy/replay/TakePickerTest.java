package io.llmsim.proxy.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmsim.core.synth.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class TakePickerTest {
  private static final RequestOptions IN_TURN = RequestOptions.NONE;

  @Test
  void inTurnThenTheLastAgainPerFingerprint() {
    TakePicker picker = new TakePicker();
    List<Integer> a = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      a.add(picker.pick("a", 3, IN_TURN));
    }
    assertThat(a).containsExactly(0, 1, 2, 2, 2);
    assertThat(picker.pick("b", 3, IN_TURN)).isZero();
  }

  @Test
  void theHeadersTakeAndTheSeedWinAndDoNotAdvanceTheTurn() {
    TakePicker picker = new TakePicker();
    assertThat(picker.pick("a", 3, take(3))).isEqualTo(2);
    assertThat(picker.pick("a", 3, take(4))).isEqualTo(-1);
    assertThat(picker.pick("a", 3, new RequestOptions(null, 7L, null))).isEqualTo(1);
    assertThat(picker.pick("a", 3, new RequestOptions(null, -1L, null))).isEqualTo(2);
    assertThat(picker.pick("a", 3, IN_TURN)).isZero();
  }

  @Test
  void concurrentRequestsGetEveryTakeOnce() {
    TakePicker picker = new TakePicker();
    ConcurrentLinkedQueue<Integer> picked = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      runs.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 25; i++) {
          picked.add(picker.pick("a", 100, IN_TURN));
        }
      }));
    }
    runs.forEach(CompletableFuture::join);
    assertThat(picked).hasSize(100).doesNotHaveDuplicates();
  }

  private static RequestOptions take(int n) {
    return new RequestOptions(null, null, null, null, null, n, null);
  }
}
