package io.llmsim.proxy.replay;

import io.llmsim.core.mode.Speed;
import io.llmsim.core.plan.Frame;
import io.llmsim.core.plan.FrameSource;
import io.llmsim.core.plan.ResponsePlan;
import io.llmsim.proxy.HopByHopHeaders;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recorded exchange as a response plan (DESIGN §3): the recorded status and headers at the
 * recorded time to headers, then each chunk's exact bytes at its recorded offset, every offset
 * divided by the speed. The recording's offsets count from sending the request upstream; the
 * plan's count from the request's arrival, which is the same moment seen from the client.
 *
 * <p>A chunked or event-stream answer is replayed as a stream, one HTTP chunk per recorded chunk,
 * so the client sees the provider's chunk boundaries. Any other answer is one frame (the chunks
 * joined) at the last chunk's offset, sent with a content length. A recording that was cut short
 * is replayed as a stream that ends the way it did: the connection closes after the last
 * recorded chunk, without a terminating chunk.
 */
final class RecordedPlan {
  /**
   * Whether a recorded header is left out: it described one connection or the framing of one
   * message, or it is the length, which the writer sets for the body it actually sends.
   */
  private static boolean notReplayed(String name) {
    return HopByHopHeaders.NAMES.contains(name) || name.equals("content-length");
  }

  private RecordedPlan() {}

  static ResponsePlan of(RecordedExchange exchange, Speed speed) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(exchange.responseHeaders().size());
    boolean hadLength = false;
    boolean eventStream = false;
    for (Header header : exchange.responseHeaders()) {
      String name = header.name().toLowerCase(Locale.ROOT);
      if (name.equals("content-length")) {
        hadLength = true;
      } else if (name.equals("content-type")
          && header.value().toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
        eventStream = true;
      }
      if (!notReplayed(name)) {
        headers.add(Map.entry(header.name(), header.value()));
      }
    }
    long headersAt = speed.scale(exchange.timeToHeadersMicros() * 1000);
    List<Chunk> chunks = exchange.chunks();
    boolean streaming = !hadLength || eventStream || !exchange.complete();
    if (streaming) {
      return new ResponsePlan(exchange.status(), headers, true, headersAt,
          new ChunkFrames(chunks, speed, headersAt, !exchange.complete()));
    }
    long bodyAt = chunks.isEmpty() ? headersAt
        : Math.max(headersAt, speed.scale(chunks.get(chunks.size() - 1).offsetMicros() * 1000));
    return new ResponsePlan(exchange.status(), headers, false, headersAt,
        FrameSource.of(List.of(new Frame(bodyAt, Chunk.join(chunks)))));
  }

  /** The chunks as frames, copied one at a time as the writer asks for them. */
  private static final class ChunkFrames implements FrameSource {
    private final List<Chunk> chunks;
    private final Speed speed;
    private final boolean cut;
    private long lastOffset;
    private int next;
    private boolean ended;

    ChunkFrames(List<Chunk> chunks, Speed speed, long headersAt, boolean cut) {
      this.chunks = chunks;
      this.speed = speed;
      this.cut = cut;
      this.lastOffset = headersAt;
    }

    @Override
    public Frame next() {
      while (next < chunks.size()) {
        Chunk chunk = chunks.get(next++);
        if (chunk.length() == 0) {
          continue; // an empty HTTP chunk would end the body
        }
        // Offsets never decrease, and no chunk comes before the headers.
        lastOffset = Math.max(lastOffset, speed.scale(chunk.offsetMicros() * 1000));
        return new Frame(lastOffset, chunk.bytes());
      }
      if (cut && !ended) {
        ended = true;
        return Frame.disconnect(lastOffset);
      }
      return null;
    }
  }
}
