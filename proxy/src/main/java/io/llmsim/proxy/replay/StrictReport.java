package io.llmsim.proxy.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmsim.core.json.Json;
import java.util.List;

/**
 * What a strict replay run left unmatched: requests that no recording answered, and recordings
 * no request used. A CI run is clean when both are empty ({@code llmsim replay --strict} then
 * exits 0).
 *
 * @param unmatched requests without a recording, one entry per fingerprint, in the order first
 *     seen
 * @param unusedRecordings ids of recordings never served, at most {@link #MAX_LISTED}
 * @param unusedCount how many recordings were never served (may exceed the list)
 */
public record StrictReport(List<Unmatched> unmatched, List<String> unusedRecordings,
    long unusedCount) {
  /** Lists longer than this are cut (the count stays exact). */
  public static final int MAX_LISTED = 1000;

  /**
   * @param count how many requests with this fingerprint went unmatched
   */
  public record Unmatched(String endpoint, String model, String fingerprint, long count) {}

  public StrictReport {
    unmatched = List.copyOf(unmatched);
    unusedRecordings = List.copyOf(unusedRecordings);
  }

  public boolean isClean() {
    return unmatched.isEmpty() && unusedCount == 0;
  }

  /** The report as the admin endpoint serves it. */
  public String toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("clean", isClean());
    ArrayNode requests = root.putArray("unmatched");
    for (Unmatched u : unmatched) {
      requests.addObject().put("endpoint", u.endpoint()).put("model", u.model())
          .put("fingerprint", u.fingerprint()).put("count", u.count());
    }
    root.put("unused_count", unusedCount);
    ArrayNode unused = root.putArray("unused_recordings");
    unusedRecordings.forEach(unused::add);
    try {
      return Json.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  /** Several lines for a log or a terminal. */
  public String summary() {
    if (isClean()) {
      return "replay strict report: clean (every request matched, every recording used)";
    }
    StringBuilder out = new StringBuilder("replay strict report: ")
        .append(unmatched.size()).append(" unmatched request fingerprint(s), ")
        .append(unusedCount).append(" unused recording(s)");
    for (Unmatched u : unmatched) {
      out.append("\n  unmatched: ").append(u.endpoint()).append(" model ").append(u.model())
          .append(" fingerprint ").append(u.fingerprint()).append(" (").append(u.count())
          .append(u.count() == 1 ? " request)" : " requests)");
    }
    for (String id : unusedRecordings) {
      out.append("\n  unused: ").append(id);
    }
    if (unusedCount > unusedRecordings.size()) {
      out.append("\n  ... and ").append(unusedCount - unusedRecordings.size()).append(" more");
    }
    return out.toString();
  }
}
