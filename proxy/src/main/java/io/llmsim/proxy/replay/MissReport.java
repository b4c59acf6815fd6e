package io.llmsim.proxy.replay;

import io.llmsim.core.api.Routed;
import io.llmsim.core.error.ApiError;
import io.llmsim.core.plan.ResponsePlan;
import java.util.List;

/**
 * The 404 a request gets when no recording answers it, in the endpoint's own error shape. Its
 * message says what was looked for and why nothing was served: no recording of the request
 * (then the nearest ones and what differs), only recordings that were cut short, or a take
 * beyond those recorded.
 */
final class MissReport {
  /** The error code in the body, for clients that tell a replay miss from other 404s. */
  static final String CODE = "recording_not_found";
  /** At most this many differences per recording, so the message stays readable. */
  private static final int LINES_PER_RECORDING = 6;

  private MissReport() {}

  static ResponsePlan nearest(Routed routed, String fingerprint, NearMisses.Found found) {
    StringBuilder message = head(routed, fingerprint);
    if (found.storeTotal() == 0) {
      message.append(": the store has no recordings.");
    } else if (found.nearest().isEmpty()) {
      message.append(": the store has no recordings of ").append(routed.endpoint())
          .append(" (").append(found.storeTotal()).append(" of other endpoints).");
    } else {
      message.append(". Nearest recordings of ").append(routed.endpoint())
          .append(" (request ≠ recording):");
      int n = 1;
      for (NearMisses.Candidate candidate : found.nearest()) {
        message.append('\n').append(n++).append(". ").append(candidate.id());
        if (!candidate.complete()) {
          message.append(" (incomplete)");
        }
        message.append(": ");
        List<String> lines = candidate.diff().lines();
        if (lines.isEmpty()) {
          message.append("no difference in the fields compared");
        }
        message.append(String.join("; ", lines.subList(0, Math.min(LINES_PER_RECORDING,
            lines.size()))));
        if (lines.size() > LINES_PER_RECORDING) {
          message.append("; and ").append(lines.size() - LINES_PER_RECORDING).append(" more");
        }
      }
    }
    return render(routed, message);
  }

  /** Without the nearest recordings: for a miss whose report nobody will read. */
  static ResponsePlan plain(Routed routed, String fingerprint) {
    return render(routed, head(routed, fingerprint).append('.'));
  }

  static ResponsePlan onlyIncomplete(Routed routed, String fingerprint, int cutShort) {
    StringBuilder message = head(routed, fingerprint).append(": ").append(cutShort)
        .append(cutShort == 1 ? " recording matches, but it was" : " recordings match, but all were")
        .append(" cut short, and incomplete recordings are not served;")
        .append(" start replay with --include-incomplete to serve them.");
    return render(routed, message);
  }

  static ResponsePlan noSuchTake(Routed routed, String fingerprint, int take, int count) {
    StringBuilder message = head(routed, fingerprint).append(": x-simulation-mode asks for take ")
        .append(take).append(", but this request has ").append(count)
        .append(count == 1 ? " recording." : " recordings.");
    return render(routed, message);
  }

  private static StringBuilder head(Routed routed, String fingerprint) {
    return new StringBuilder("No recording to replay for ").append(routed.endpoint())
        .append(" (model ").append(routed.model() == null ? "none" : routed.model())
        .append(", fingerprint ").append(fingerprint).append(')');
  }

  private static ResponsePlan render(Routed routed, StringBuilder message) {
    return routed.dialect().error(ApiError.notFound(message.toString(), CODE));
  }
}
