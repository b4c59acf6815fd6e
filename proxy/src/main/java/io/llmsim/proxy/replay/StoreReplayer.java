package io.llmsim.proxy.replay;

import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.mode.Speed;
import io.llmsim.proxy.StoreAccess;
import io.llmsim.proxy.record.Recorder;
import io.llmsim.proxy.record.Scope;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays from the exchange store. A request is matched by the fingerprint recording gave it
 * ({@link Recorder#fingerprint}), one of its takes is picked ({@link TakePicker}) and served as a
 * {@link RecordedPlan} at the request's speed, else the server's.
 *
 * <p>Takes that are cached ({@link StoreAccess#cachedTakes}) are answered on the calling thread;
 * anything else, including the scan for the miss report, runs on the store's thread.
 */
public final class StoreReplayer implements Replayer {
  private static final Logger log = LoggerFactory.getLogger(StoreReplayer.class);

  private final StoreAccess store;
  private final Fingerprint fingerprint;
  private final ReplaySettings settings;
  /** The scope of requests without an {@code x-llmsim-scope} header; null for none. */
  private final String defaultScope;
  private final TakePicker picker = new TakePicker();
  /** Used on the store's thread only. */
  private final NearMisses nearMisses;
  /** Kept in strict mode only. */
  private final StrictLedger ledger;
  /** With a configured match rule only; used on the store's thread. */
  private final MatchIndex matchIndex;

  /**
   * @param fingerprint the one the recorder uses, so a request finds what recording stored
   */
  public StoreReplayer(StoreAccess store, Fingerprint fingerprint, ReplaySettings settings) {
    this(store, fingerprint, settings, null);
  }

  /**
   * @param fingerprint the one the recorder uses, so a request finds what recording stored
   * @param defaultScope the recorder's default scope, for the same reason; null for none
   */
  public StoreReplayer(StoreAccess store, Fingerprint fingerprint, ReplaySettings settings,
      String defaultScope) {
    this.defaultScope = defaultScope;
    this.store = store;
    this.fingerprint = fingerprint;
    this.settings = settings;
    this.ledger = settings.strict() ? new StrictLedger() : null;
    this.nearMisses = new NearMisses(fingerprint);
    this.matchIndex = settings.match() == null ? null : new MatchIndex(settings.match());
  }

  @Override
  public CompletableFuture<Outcome> replay(Routed routed) {
    if (matchIndex != null) {
      String key = matchIndex.keyOf(routed, defaultScope);
      return store.submit(s -> {
        List<RecordedExchange> takes = matchIndex.takes(s, key);
        Outcome hit = serve(routed, key, takes);
        return hit != null ? hit : miss(s, routed, key, takes);
      }).exceptionally(failure -> unreadable(routed, failure));
    }
    String print = Recorder.fingerprint(fingerprint, routed, defaultScope);
    List<RecordedExchange> cached = store.cachedTakes(print);
    if (cached != null) {
      Outcome hit = serve(routed, print, cached);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
      return store.submit(s -> miss(s, routed, print, cached)).exceptionally(
          failure -> unreadable(routed, failure));
    }
    return store.submit(s -> {
      List<RecordedExchange> takes = s.takes(print);
      Outcome hit = serve(routed, print, takes);
      return hit != null ? hit : miss(s, routed, print, takes);
    }).exceptionally(failure -> unreadable(routed, failure));
  }

  /** In strict mode, the report so far (it lists the store); null otherwise. */
  @Override
  public CompletableFuture<StrictReport> report() {
    if (ledger == null) {
      return CompletableFuture.completedFuture(null);
    }
    return store.submit(s -> ledger.report(s, settings.includeIncomplete()));
  }

  /** The answer from one of {@code takes}, or null when none may be served. */
  private Outcome serve(Routed routed, String print, List<RecordedExchange> takes) {
    List<RecordedExchange> servable = servable(takes);
    if (servable.isEmpty()) {
      return null;
    }
    int index = picker.pick(print, servable.size(), routed.options());
    if (index < 0) {
      return null;
    }
    RecordedExchange take = servable.get(index);
    if (ledger != null) {
      ledger.served(take.id());
    }
    Speed speed = routed.options().speed() != null ? routed.options().speed() : settings.speed();
    return new Outcome(RecordedPlan.of(take, speed), true);
  }

  /** The miss report; runs on the store's thread. */
  private Outcome miss(ExchangeStore s, Routed routed, String print,
      List<RecordedExchange> takes) {
    if (ledger != null) {
      ledger.unmatched(routed, print);
    }
    List<RecordedExchange> servable = servable(takes);
    if (!takes.isEmpty() && servable.isEmpty()) {
      return new Outcome(MissReport.onlyIncomplete(routed, print, takes.size()), false);
    }
    if (!servable.isEmpty()) {
      return new Outcome(MissReport.noSuchTake(routed, print, routed.options().take(),
          servable.size()), false);
    }
    String onMiss = routed.options().onMiss() != null ? routed.options().onMiss()
        : settings.onMiss();
    if (onMiss.equals("synthesize")) {
      // The report would be thrown away: skip the scan, which is the costly part of a miss.
      return new Outcome(MissReport.plain(routed, print), false);
    }
    NearMisses.Found found = nearMisses.find(s, Scope.of(routed, defaultScope),
        routed.endpoint(), routed.model(), routed.request().body());
    return new Outcome(MissReport.nearest(routed, print, found), false);
  }

  private List<RecordedExchange> servable(List<RecordedExchange> takes) {
    if (settings.includeIncomplete()) {
      return takes;
    }
    List<RecordedExchange> complete = new ArrayList<>(takes.size());
    for (RecordedExchange take : takes) {
      if (take.complete()) {
        complete.add(take);
      }
    }
    return complete.size() == takes.size() ? takes : complete;
  }

  /** The store could not be read (or opened): a 500 that says so, not a miss. */
  private Outcome unreadable(Routed routed, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    log.error("replay could not read the store at {}", store.description(), cause);
    return new Outcome(routed.dialect().error(ApiError.of(ApiError.Kind.SERVER,
        "Replay could not read the recordings store at " + store.description() + ": "
            + cause.getMessage())), true);
  }
}
