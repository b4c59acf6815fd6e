package io.llmsim.proxy.replay;

import io.llmsim.core.api.Routed;
import io.llmsim.core.plan.ResponsePlan;
import java.util.concurrent.CompletableFuture;

/** Answers requests from recordings. Implementations are thread-safe and never block the caller. */
public interface Replayer extends AutoCloseable {
  /**
   * The recorded answer to {@code routed}, or a miss. Store reads happen off the calling thread;
   * the future may complete on any thread.
   */
  CompletableFuture<Outcome> replay(Routed routed);

  /**
   * What a strict run has left unmatched so far (served at {@code GET /llmsim/replay/report} and
   * logged at shutdown); completes with null when strict mode is off.
   */
  default CompletableFuture<StrictReport> report() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  default void close() {}

  /**
   * @param plan the recorded answer; on a miss, the 404 that reports the nearest recordings
   * @param hit false on a miss: the caller applies {@code on-miss}
   */
  record Outcome(ResponsePlan plan, boolean hit) {}
}
