package io.llmsim.core.plan;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the server sends for one request, whatever the mode (DESIGN §3): a status and headers due at
 * {@code headersOffsetNanos}, then frames. A streaming plan sends the headers first and each frame
 * as a chunk of a chunked body; a non-streaming plan sends status, headers and its single frame
 * together, with a content length, at the frame's offset.
 */
public record ResponsePlan(
    int status,
    List<Map.Entry<String, String>> headers,
    boolean streaming,
    long headersOffsetNanos,
    FrameSource frames) {

  public ResponsePlan {
    headers = List.copyOf(headers);
  }

  /**
   * This plan with the headers and every frame due {@code delayNanos} later: a plan built some
   * time after the request arrived (after a store read, say) keeps its own pacing from the moment
   * it was ready, instead of sending everything that came due meanwhile in one burst.
   */
  public ResponsePlan delayedBy(long delayNanos) {
    if (delayNanos <= 0) {
      return this;
    }
    return new ResponsePlan(status, headers, streaming, headersOffsetNanos + delayNanos,
        new DelayedFrames(frames, delayNanos));
  }

  /** A whole response due at {@code offsetNanos}. */
  public static ResponsePlan of(
      int status, List<Map.Entry<String, String>> headers, byte[] body, long offsetNanos) {
    return new ResponsePlan(
        status, headers, false, offsetNanos, FrameSource.of(List.of(new Frame(offsetNanos, body))));
  }

  /** A whole JSON response sent at once. */
  public static ResponsePlan json(int status, List<Map.Entry<String, String>> headers, String json) {
    return of(status, headers, json.getBytes(StandardCharsets.UTF_8), 0);
  }
}
