package io.llmsim.proxy.upstream;

import io.llmsim.proxy.HopByHopHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross llmsim, each way. Hop-by-hop headers (RFC 9110 §7.6.1, and any the
 * {@code Connection} header names) belong to one connection and never cross; llmsim's own
 * ({@code x-simulation-mode}, {@code x-llmsim-*}) never reach a provider.
 */
final class ForwardHeaders {
  /** Each provider's credential header, as its SDKs send it. */
  private static final Map<String, String> KEY_HEADERS = Map.of(
      "openai", "authorization", "anthropic", "x-api-key", "gemini", "x-goog-api-key",
      "azure", "api-key");

  private ForwardHeaders() {}

  /**
   * The client's headers to send upstream: without hop-by-hop, {@code host} (set from the
   * upstream), lengths (recomputed) and llmsim's own; with the provider's key when
   * {@code injectedKey} is not null.
   */
  static List<Map.Entry<String, String>> request(Map<String, String> clientHeaders,
      String provider, String injectedKey, boolean identityEncoding) {
    Set<String> drop = HopByHopHeaders.namedIn(clientHeaders.get("connection"));
    List<Map.Entry<String, String>> out = new ArrayList<>(clientHeaders.size());
    for (Map.Entry<String, String> header : clientHeaders.entrySet()) {
      String name = header.getKey();
      if (HopByHopHeaders.NAMES.contains(name) || drop.contains(name) || name.equals("host")
          || name.equals("content-length") || name.equals("x-simulation-mode")
          || name.startsWith("x-llmsim-")
          || (identityEncoding && name.equals("accept-encoding"))
          || (injectedKey != null && isCredential(name))) {
        continue;
      }
      out.add(header);
    }
    if (identityEncoding) {
      // Recordings keep plain bytes: replayable at any chunking, readable in a fixture set.
      out.add(Map.entry("accept-encoding", "identity"));
    }
    if (injectedKey != null) {
      String name = KEY_HEADERS.get(provider);
      out.add(Map.entry(name, name.equals("authorization") ? "Bearer " + injectedKey
          : injectedKey));
    }
    return out;
  }

  /** The upstream's response headers to pass to the client, in order. */
  static List<Map.Entry<String, String>> response(HttpHeaders upstream) {
    Set<String> drop = HopByHopHeaders.namedIn(upstream.get("connection"));
    List<Map.Entry<String, String>> out = new ArrayList<>(upstream.size());
    for (Map.Entry<String, String> header : upstream) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (HopByHopHeaders.NAMES.contains(name) || drop.contains(name) || name.equals("content-length")) {
        continue;
      }
      out.add(Map.entry(name, header.getValue()));
    }
    return out;
  }

  /** The query without the {@code key} parameter (Gemini's key, when llmsim injects its own). */
  static String withoutKeyParam(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return rawQuery;
    }
    List<String> kept = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (!pair.equals("key") && !pair.startsWith("key=")) {
        kept.add(pair);
      }
    }
    return String.join("&", kept);
  }

  private static boolean isCredential(String name) {
    return KEY_HEADERS.containsValue(name);
  }

}
