package io.llmsim.proxy.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import io.llmsim.proxy.record.Scope;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recordings nearest to a request that matched none, for the miss report (WireMock's
 * near-miss idea): recordings of the same endpoint, ranked by how many top-level fields differ,
 * then by how many details do.
 *
 * <p>Keeps an index of the most recent requests of each endpoint (their canonical bodies, not the
 * answers), built by one scan of the store and built again when the store's count has changed, so
 * a run of misses against a large store scans it once. Confined to the store's thread: every
 * call blocks and none may run on an event loop.
 */
final class NearMisses {
  /** Only the most recent recordings of each endpoint are compared, so a miss stays cheap. */
  static final int PER_ENDPOINT = 1000;
  static final int SHOWN = 3;

  /**
   * @param storeTotal recordings in the store
   * @param nearest the closest recordings, closest first; at most {@link #SHOWN}
   */
  record Found(long storeTotal, List<Candidate> nearest) {}

  /** A recording as the report names it. */
  record Candidate(String id, boolean complete, RequestDiff diff) {}

  /** A recorded request, reduced to what comparing needs. */
  private record Indexed(String id, String model, boolean complete, byte[] canonical) {}

  private final Fingerprint fingerprint;
  private final Map<String, ArrayDeque<Indexed>> byEndpoint = new HashMap<>();
  private long indexedCount = -1;

  NearMisses(Fingerprint fingerprint) {
    this.fingerprint = fingerprint;
  }

  /** The nearest recordings of {@code endpoint} to a request with this model and body. */
  Found find(ExchangeStore store, String endpoint, String model, byte[] body) {
    return find(store, null, endpoint, model, body);
  }

  /**
   * The nearest recordings of {@code endpoint} in {@code scope} (null for unscoped ones): a
   * recording of another scope could never be served, so it is never offered as near.
   */
  Found find(ExchangeStore store, String scope, String endpoint, String model, byte[] body) {
    long count = store.count();
    if (count != indexedCount) {
      rebuild(store);
      indexedCount = count;
    }
    JsonNode request = tree(fingerprint.canonical(body));
    List<Candidate> ranked = new ArrayList<>();
    for (Indexed recorded : byEndpoint.getOrDefault(key(scope, endpoint), new ArrayDeque<>())) {
      ranked.add(new Candidate(recorded.id(), recorded.complete(),
          RequestDiff.between(model, request, recorded.model(), tree(recorded.canonical()))));
    }
    ranked.sort(Comparator.comparingInt((Candidate c) -> c.diff().fields())
        .thenComparingInt(c -> c.diff().details())
        // Among equals, the most recent recording first.
        .thenComparing(Candidate::id, Comparator.reverseOrder()));
    return new Found(count, List.copyOf(ranked.subList(0, Math.min(SHOWN, ranked.size()))));
  }

  private void rebuild(ExchangeStore store) {
    byEndpoint.clear();
    // Recordings visit in id order, which is recording time: keep the latest of each endpoint.
    store.forEach((RecordedExchange e) -> {
      ArrayDeque<Indexed> recent =
          byEndpoint.computeIfAbsent(key(scopeOf(e), e.endpoint()), k -> new ArrayDeque<>());
      recent.addLast(new Indexed(e.id(), e.model(), e.complete(),
          fingerprint.canonical(e.request().body())));
      if (recent.size() > PER_ENDPOINT) {
        recent.removeFirst();
      }
    });
  }

  /** The index key: the endpoint, within its scope. */
  private static String key(String scope, String endpoint) {
    return scope == null ? endpoint : scope + "\n" + endpoint;
  }

  /** The scope a recording was made in, from its {@code scope:NAME} tag; null for none. */
  private static String scopeOf(RecordedExchange e) {
    for (String tag : e.tags()) {
      if (tag.startsWith(Scope.TAG_PREFIX)) {
        return tag.substring(Scope.TAG_PREFIX.length());
      }
    }
    return null;
  }

  /** A canonical body as a tree; a body that is not JSON becomes a text node. */
  private static JsonNode tree(byte[] canonical) {
    if (canonical.length == 0) {
      return null;
    }
    try {
      return Json.TREE_READER.readTree(canonical);
    } catch (IOException notJson) {
      return Json.MAPPER.getNodeFactory().textNode(new String(canonical, StandardCharsets.UTF_8));
    }
  }
}
