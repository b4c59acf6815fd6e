package io.llmsim.proxy.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.Fingerprint;
import io.llmsim.store.RecordedExchange;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The recordings nearest to a request that matched none, for the miss report (WireMock's
 * near-miss idea): recordings of the same endpoint, ranked by how many top-level fields differ,
 * then by how many details do. Blocking (it scans the store): run it on the store's thread.
 */
final class NearMisses {
  /** Only the most recent recordings of the endpoint are compared, so a miss stays cheap. */
  static final int SCAN_LIMIT = 1000;
  static final int SHOWN = 3;

  /**
   * @param endpointTotal recordings of the endpoint in the store
   * @param storeTotal recordings in the store
   * @param nearest the closest recordings, closest first; at most {@link #SHOWN}
   */
  record Found(long endpointTotal, long storeTotal, List<Candidate> nearest) {}

  record Candidate(RecordedExchange exchange, RequestDiff diff) {}

  private NearMisses() {}

  /** The nearest recordings of {@code endpoint} to a request with this model and body. */
  static Found find(ExchangeStore store, Fingerprint fingerprint, String endpoint, String model,
      byte[] body) {
    // Recordings visit in id order, which is recording time: keep the latest ones.
    ArrayDeque<RecordedExchange> recent = new ArrayDeque<>();
    long[] counts = new long[2];
    store.forEach(e -> {
      counts[0]++;
      if (endpoint.equals(e.endpoint())) {
        counts[1]++;
        recent.addLast(e);
        if (recent.size() > SCAN_LIMIT) {
          recent.removeFirst();
        }
      }
    });
    JsonNode request = tree(fingerprint.canonical(body));
    List<Candidate> ranked = new ArrayList<>(recent.size());
    for (RecordedExchange e : recent) {
      JsonNode recorded = tree(fingerprint.canonical(e.request().body()));
      ranked.add(new Candidate(e, RequestDiff.between(model, request, e.model(), recorded)));
    }
    ranked.sort(Comparator.comparingInt((Candidate c) -> c.diff().fields())
        .thenComparingInt(c -> c.diff().details())
        // Among equals, the most recent recording first.
        .thenComparing(c -> c.exchange().id(), Comparator.reverseOrder()));
    return new Found(counts[1], counts[0], List.copyOf(ranked.subList(0,
        Math.min(SHOWN, ranked.size()))));
  }

  /** The canonical body as a tree; a body that is not JSON becomes a text node. */
  private static JsonNode tree(byte[] canonical) {
    if (canonical.length == 0) {
      return null;
    }
    try {
      return Json.TREE_READER.readTree(canonical);
    } catch (IOException notJson) {
      return Json.MAPPER.getNodeFactory().textNode(
          new String(canonical, java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
