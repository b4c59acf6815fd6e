package io.llmsim.core.ratelimit;

import io.llmsim.core.json.JsonScan;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;

/**
 * Passes an answer's frames through unchanged and settles its rate-limit reservation with the
 * real output, read from the usage the answer reports ({@code completion_tokens},
 * {@code output_tokens}, Gemini's {@code candidatesTokenCount}; the last one seen wins, since
 * streams report a running count). A whole answer settles on its frame; a stream at its end, or
 * when the client goes away. A stream that reports no usage is settled with its frame count, one
 * token per chunk, which is how the providers stream. Works the same on synthesized, replayed and
 * forwarded frames.
 */
public final class SettlingFrames implements FrameSource {
  private static final byte[][] FIELDS = {JsonScan.key("completion_tokens"),
      JsonScan.key("output_tokens"), JsonScan.key("candidatesTokenCount")};

  private final FrameSource source;
  private final RateLimiter.Ticket ticket;
  private final boolean streaming;
  private long outputTokens = -1;
  private long frames;

  public SettlingFrames(FrameSource source, RateLimiter.Ticket ticket, boolean streaming) {
    this.source = source;
    this.ticket = ticket;
    this.streaming = streaming;
  }

  @Override
  public Frame next() {
    Frame frame = source.next();
    if (frame == PENDING) {
      return frame;
    }
    if (frame == null) {
      settle();
      return null;
    }
    if (!frame.isDisconnect()) {
      frames++;
      long seen = usage(frame.bytes());
      if (seen >= 0) {
        outputTokens = seen;
      }
      if (!streaming) {
        settle();
      }
    } else {
      settle();
    }
    return frame;
  }

  @Override
  public void onReady(Runnable wake) {
    source.onReady(wake);
  }

  @Override
  public void cancel() {
    settle(); // the client went away: what it got so far is what it used
    source.cancel();
  }

  /** Settles with what was seen so far: at the end and when the answer is abandoned. */
  public void settle() {
    ticket.settleOutput(outputTokens >= 0 ? outputTokens : Math.max(0, frames - 2));
  }

  /** The last output count a frame reports, or -1. */
  static long usage(byte[] bytes) {
    long found = -1;
    for (byte[] field : FIELDS) {
      found = Math.max(found, JsonScan.lastNumber(bytes, field));
    }
    return found;
  }
}
