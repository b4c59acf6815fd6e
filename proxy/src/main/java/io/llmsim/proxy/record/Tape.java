package io.llmsim.proxy.record;

import io.llmsim.core.api.Routed;
import io.llmsim.store.ExchangeTooLargeException;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a forwarded exchange leaves behind while it runs: the request as sent, the response head
 * and every body chunk with its arrival time in microseconds from sending the request. Filled on
 * the event loop; handed whole to the {@link Recorder}, which redacts it before anything is
 * stored. Holds secrets until then: never logged.
 */
public final class Tape {
  final Routed routed;
  final Request request;
  final long sentAtMillis;
  private final long sentNanos;
  int status;
  List<Header> responseHeaders = List.of();
  long timeToHeadersMicros;
  final List<Chunk> chunks = new ArrayList<>();
  private final long maxBytes;
  private long bytes;
  private boolean tooLarge;

  /**
   * @param sentNanos when the request went upstream, on the clock the other times are read from
   */
  public Tape(Routed routed, String method, String path, String query,
      List<Map.Entry<String, String>> headers, byte[] body, long sentNanos) {
    this(routed, method, path, query, headers, body, sentNanos,
        ExchangeTooLargeException.MAX_BYTES);
  }

  /** A tape that stops at {@code maxBytes} of bodies (tests lower it). */
  Tape(Routed routed, String method, String path, String query,
      List<Map.Entry<String, String>> headers, byte[] body, long sentNanos, long maxBytes) {
    this.routed = routed;
    this.maxBytes = maxBytes;
    this.bytes = body.length;
    this.request = new Request(method, path, query, toHeaders(headers), body);
    this.sentAtMillis = System.currentTimeMillis();
    this.sentNanos = sentNanos;
  }

  public void head(int newStatus, List<Map.Entry<String, String>> headers, long nowNanos) {
    status = newStatus;
    responseHeaders = toHeaders(headers);
    timeToHeadersMicros = micros(nowNanos);
  }

  public void chunk(byte[] bytes, long nowNanos) {
    if (tooLarge) {
      return;
    }
    this.bytes += bytes.length;
    if (this.bytes > maxBytes) {
      // Such an exchange could never be stored or replayed, so it is not held either: the
      // client still gets every byte, the recorder gets nothing.
      tooLarge = true;
      chunks.clear();
      return;
    }
    chunks.add(new Chunk(micros(nowNanos), bytes));
  }

  /** True when the exchange outgrew the limit of one exchange and is not recorded. */
  public boolean tooLarge() {
    return tooLarge;
  }

  /** The limit {@link #tooLarge} is about. */
  long maxBytes() {
    return maxBytes;
  }

  /** True once the response head arrived: a tape without one has nothing to replay. */
  public boolean hasResponse() {
    return status != 0;
  }

  private long micros(long nowNanos) {
    return Math.max(0, (nowNanos - sentNanos) / 1000);
  }

  private static List<Header> toHeaders(List<Map.Entry<String, String>> headers) {
    List<Header> out = new ArrayList<>(headers.size());
    headers.forEach(h -> out.add(new Header(h.getKey(), h.getValue())));
    return out;
  }
}
