package io.llmsim.proxy.record;

import io.llmsim.core.api.Routed;
import io.llmsim.proxy.ModeSettings;
import io.llmsim.proxy.StoreAccess;
import io.llmsim.store.ContentDecoding.UndecodableBodyException;
import io.llmsim.proxy.metrics.ServerMetrics;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.Redactor;
import io.llmsim.store.UsageReader;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns finished tapes into stored exchanges: fingerprinted from the request as the client sent
 * it (so replay, which sees the same request, finds it), redacted, then written on the store's
 * thread. Recording never delays or fails the answer the client gets.
 */
public final class Recorder {
  private static final Logger log = LoggerFactory.getLogger(Recorder.class);

  private final StoreAccess store;
  private final Redactor redactor;
  private final Fingerprint fingerprint;
  private final AtomicLong dropped = new AtomicLong();
  /** The scope of requests without an {@code x-llmsim-scope} header; null for none. */
  private final String defaultScope;
  /** Whether exchanges cut short are stored too; else they are only counted. */
  private final boolean keepIncomplete;
  private final ServerMetrics metrics;

  /**
   * A recorder with the server's redaction, fingerprint, default scope and incomplete-recording
   * policy ({@link ModeSettings#keepIncomplete}); discarded recordings are counted in
   * {@code metrics}.
   */
  public Recorder(StoreAccess store, ModeSettings modes, ServerMetrics metrics) {
    this.store = store;
    this.redactor = modes.redactor();
    this.fingerprint = modes.fingerprint();
    this.defaultScope = modes.scope();
    this.keepIncomplete = modes.keepIncomplete();
    this.metrics = metrics;
  }

  /**
   * The fingerprint of a request, the same whether it is being recorded or replayed: its
   * {@link Scope} (header, else {@code defaultScope}), endpoint, model and canonical body.
   */
  public static String fingerprint(Fingerprint fingerprint, Routed routed, String defaultScope) {
    return fingerprint.compute(Scope.of(routed, defaultScope), routed.endpoint(), routed.model(),
        routed.request().body());
  }

  /**
   * Stores what the tape holds; {@code complete} is false when the upstream or the client cut the
   * exchange short, and such an exchange is stored only when the server keeps incomplete ones
   * (a client that keeps disconnecting would otherwise fill the store with fragments). The future
   * completes once the exchange is on disk (tests wait on it), with null when nothing is stored:
   * an incomplete exchange, one over the size limit, or a body llmsim cannot decode (and so
   * cannot redact).
   */
  public CompletableFuture<RecordedExchange> save(Tape tape, boolean complete) {
    Routed routed = tape.routed;
    if (!tape.hasResponse()) {
      return CompletableFuture.completedFuture(null);
    }
    if (!complete && !keepIncomplete) {
      metrics.countDiscardedIncomplete();
      log.debug("discarded the incomplete recording of {} {} ({} so far; --keep-incomplete"
          + " keeps them)", routed.provider(), routed.endpoint(),
          metrics.discardedIncomplete());
      return CompletableFuture.completedFuture(null);
    }
    if (tape.tooLarge()) {
      log.warn("not recorded: an exchange of {} {} is over the limit of {} bytes for one "
          + "exchange", routed.provider(), routed.endpoint(), tape.maxBytes());
      return CompletableFuture.completedFuture(null);
    }
    List<Chunk> chunks = List.copyOf(tape.chunks);
    // Everything else happens on the store's thread, off the event loop.
    return store.submit(s -> {
      String print = fingerprint(fingerprint, routed, defaultScope);
      String scope = Scope.of(routed, defaultScope);
      List<String> tags = scope == null ? List.of() : List.of(Scope.TAG_PREFIX + scope);
      RecordedExchange exchange;
      try {
        // Usage is read after decoding: an encoded body's bytes say nothing.
        exchange = redactor.redact(new RecordedExchange(newId(tape.sentAtMillis), print,
            routed.provider(), routed.endpoint(), routed.model(), tape.sentAtMillis,
            tape.request, tape.status, tape.responseHeaders, tape.timeToHeadersMicros, chunks,
            null, complete, tags));
      } catch (UndecodableBodyException undecodable) {
        // Its raw bytes could hold a secret no rule can see: nothing is stored.
        log.warn("not recording {} {}: {}", routed.provider(), routed.endpoint(),
            undecodable.getMessage());
        return null;
      }
      exchange = exchange.withUsage(UsageReader.read(Chunk.join(exchange.chunks())));
      s.put(exchange);
      log.debug("recorded {}", exchange);
      return exchange;
    }).whenComplete((exchange, failure) -> {
      if (failure == null) {
        return;
      }
      if (failure instanceof RejectedExecutionException) {
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
          log.error("{} recordings dropped so far: the store cannot keep up with the traffic", n);
        }
        return;
      }
      log.error("could not store the recording of {} {}: {}", routed.provider(),
          routed.endpoint(), failure.toString());
    });
  }

  /** Ids sort by recording time: 12 hex digits of milliseconds, then 16 random ones. */
  static String newId(long millis) {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(millis).substring(4) + hex.toHexDigits(ThreadLocalRandom.current()
        .nextLong());
  }

}
