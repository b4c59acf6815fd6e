package io.llmsim.proxy;

import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded exchanges for replay tests, fingerprinted as the recorder would fingerprint the same
 * request, and a way to put them into a running server's store (through the store's thread and
 * cache, as the recorder does).
 */
public final class Recordings {
  public static final String CHAT = "POST /v1/chat/completions";
  public static final String MESSAGES = "POST /v1/messages";

  private Recordings() {}

  public static String fingerprint(String endpoint, String model, String body) {
    return Fingerprint.defaults().compute(endpoint, model, utf8(body));
  }

  public static Chunk chunk(long offsetMillis, String text) {
    return new Chunk(offsetMillis * 1000, utf8(text));
  }

  /** A streamed (chunked, event-stream) answer under the request's own fingerprint. */
  public static RecordedExchange streamed(String id, String endpoint, String model, String body,
      long headersMillis, List<Chunk> chunks, boolean complete) {
    return exchange(id, fingerprint(endpoint, model, body), endpoint, model, body, 200,
        List.of(new Header("Content-Type", "text/event-stream; charset=utf-8"),
            new Header("Transfer-Encoding", "chunked"), new Header("Connection", "keep-alive"),
            new Header("x-request-id", "req_" + id)),
        headersMillis, chunks, complete);
  }

  /** A whole JSON answer with a content length, arriving in one chunk. */
  public static RecordedExchange whole(String id, String endpoint, String model, String body,
      int status, String answer, long offsetMillis) {
    return exchange(id, fingerprint(endpoint, model, body), endpoint, model, body, status,
        List.of(new Header("Content-Type", "application/json"),
            new Header("Content-Length", String.valueOf(utf8(answer).length)),
            new Header("x-request-id", "req_" + id)),
        offsetMillis, List.of(chunk(offsetMillis, answer)), true);
  }

  public static RecordedExchange exchange(String id, String fingerprint, String endpoint,
      String model, String body, int status, List<Header> headers, long headersMillis,
      List<Chunk> chunks, boolean complete) {
    String path = endpoint.substring(endpoint.indexOf(' ') + 1);
    Request request = new Request("POST", path, "",
        List.of(new Header("content-type", "application/json")), utf8(body));
    return new RecordedExchange(id, fingerprint, endpoint.contains("messages") ? "anthropic"
        : "openai", endpoint, model, 1_760_000_000_000L, request, status, headers,
        headersMillis * 1000, chunks, null, complete, List.of());
  }

  /** Stores exchanges in a running server's store and waits until they are written. */
  public static void put(LlmSimServer server, RecordedExchange... exchanges) {
    List<RecordedExchange> all = new ArrayList<>(List.of(exchanges));
    server.store().submit(store -> {
      all.forEach(store::put);
      return null;
    }).join();
  }

  /**
   * The store's exchanges once there are at least {@code expected} (recordings are written after
   * each answer, on the store's thread), or what there is after 10 s.
   */
  public static List<RecordedExchange> awaitStored(LlmSimServer server, int expected)
      throws InterruptedException {
    return await(server, s -> s.list(), all -> all.size() >= expected);
  }

  /** The first recording under {@code fingerprint}, waiting up to 10 s for it to be written. */
  public static RecordedExchange awaitTake(LlmSimServer server, String fingerprint)
      throws InterruptedException {
    List<RecordedExchange> takes =
        await(server, s -> s.takes(fingerprint), found -> !found.isEmpty());
    if (takes.isEmpty()) {
      throw new AssertionError("nothing was recorded under " + fingerprint);
    }
    return takes.get(0);
  }

  private static List<RecordedExchange> await(LlmSimServer server,
      java.util.function.Function<io.llmsim.store.ExchangeStore, List<RecordedExchange>> read,
      java.util.function.Predicate<List<RecordedExchange>> enough) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<RecordedExchange> found = server.store().submit(read).join();
      if (enough.test(found) || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(20);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
