package io.llmsim.proxy.replay;

import io.llmsim.core.api.Routed;
import io.llmsim.proxy.record.Scope;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.MatchRule;
import io.llmsim.store.RecordedExchange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recordings by the key of a configured {@link MatchRule}, for replay that matches more loosely
 * than the fingerprint recording stored. Built from the store on first use and again whenever the
 * store's count changed (recordings added during the run); used on the store's thread only.
 */
final class MatchIndex {
  private static final String SCOPE_TAG = "scope:";

  private final MatchRule rule;
  private Map<String, List<RecordedExchange>> byKey;
  private long builtAtCount = -1;

  MatchIndex(MatchRule rule) {
    this.rule = rule;
  }

  /** The key of a request, as recordings are keyed. */
  String keyOf(Routed routed, String defaultScope) {
    return rule.key(Scope.of(routed, defaultScope), routed.endpoint(), routed.model(),
        routed.request().body());
  }

  /** The recordings under {@code key}, oldest first: the takes. */
  List<RecordedExchange> takes(ExchangeStore store, String key) {
    long count = store.count();
    if (byKey == null || count != builtAtCount) {
      rebuild(store);
      builtAtCount = count;
    }
    return byKey.getOrDefault(key, List.of());
  }

  private void rebuild(ExchangeStore store) {
    Map<String, List<RecordedExchange>> index = new HashMap<>();
    store.forEach(e -> index.computeIfAbsent(keyOf(e), k -> new ArrayList<>()).add(e));
    Comparator<RecordedExchange> recordingOrder = Comparator
        .comparingLong(RecordedExchange::recordedAtMillis).thenComparing(RecordedExchange::id);
    index.values().forEach(takes -> takes.sort(recordingOrder));
    byKey = index;
  }

  private String keyOf(RecordedExchange e) {
    String scope = null;
    for (String tag : e.tags()) {
      if (tag.startsWith(SCOPE_TAG)) {
        scope = tag.substring(SCOPE_TAG.length());
      }
    }
    return rule.key(scope, e.endpoint(), e.model(), e.request().body());
  }
}
