package io.llmsim.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsePlanTest {
  private static final byte[] A = "a".getBytes(StandardCharsets.UTF_8);
  private static final byte[] B = "b".getBytes(StandardCharsets.UTF_8);

  @Test
  void delayedByMovesTheHeadersAndEveryFrameKeepingTheirSpacingAndTheCut() {
    ResponsePlan plan = new ResponsePlan(200, List.of(Map.entry("x", "y")), true, 10,
        FrameSource.of(List.of(new Frame(20, A), new Frame(45, B), Frame.disconnect(45))));

    ResponsePlan later = plan.delayedBy(1_000);

    assertThat(later.status()).isEqualTo(200);
    assertThat(later.headers()).isEqualTo(plan.headers());
    assertThat(later.streaming()).isTrue();
    assertThat(later.headersOffsetNanos()).isEqualTo(1_010);
    Frame first = later.frames().next();
    assertThat(first.offsetNanos()).isEqualTo(1_020);
    assertThat(first.bytes()).isSameAs(A);
    assertThat(later.frames().next().offsetNanos()).isEqualTo(1_045);
    Frame cut = later.frames().next();
    assertThat(cut.isDisconnect()).isTrue();
    assertThat(cut.offsetNanos()).isEqualTo(1_045);
    assertThat(later.frames().next()).isNull();
  }

  @Test
  void noDelayIsTheSamePlan() {
    ResponsePlan plan = ResponsePlan.json(200, List.of(), "{}");
    assertThat(plan.delayedBy(0)).isSameAs(plan);
    assertThat(plan.delayedBy(-5)).isSameAs(plan);
  }
}
