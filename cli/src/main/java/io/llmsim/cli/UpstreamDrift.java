package io.llmsim.cli;

import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamTarget;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.Redactor;
import io.llmsim.store.fixtures.AnswerShape;
import io.llmsim.store.fixtures.FixtureSet;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Re-sends a set's recorded requests to today's upstream and compares the answers' shapes
 * ({@link AnswerShape}) with the recorded ones: the nightly check that fixtures still stand for
 * what the provider sends. Credentials come from the environment and are never printed.
 *
 * <p>A fixture file is untrusted input (it may arrive in a pull request), and the key goes with
 * every request: the URL is built by {@link UpstreamTarget}, so only the configured upstream's
 * host ever receives it, and an exchange whose path could lead elsewhere is refused unsent.
 */
final class UpstreamDrift {
  /** Each provider's credential header, as its SDKs send it (as the forwarder injects it). */
  private static final Map<String, String> KEY_HEADERS = Map.of(
      "openai", "authorization", "anthropic", "x-api-key", "gemini", "x-goog-api-key",
      "azure", "api-key");
  /** Never sent: set by the client, or a credential the recording had redacted anyway. */
  private static final Set<String> NOT_SENT = Set.of("host", "content-length", "connection",
      "keep-alive", "transfer-encoding", "upgrade", "expect", "te", "trailer",
      "proxy-authorization", "accept-encoding", "authorization", "x-api-key", "x-goog-api-key",
      "api-key", "cookie");

  /** One exchange's result: what drifted, or why it could not be checked. */
  record Result(String file, List<String> drift, String failure) {
    boolean clean() {
      return drift.isEmpty() && failure == null;
    }
  }

  private final Map<String, Upstream> upstreams;
  private final Map<String, String> keys;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param upstreams provider to upstream
   * @param keys provider to API key, from the environment
   */
  UpstreamDrift(Map<String, Upstream> upstreams, Map<String, String> keys, Duration timeout) {
    this.upstreams = upstreams;
    this.keys = keys;
    this.timeout = timeout;
    // HTTP/1.1: no h2c upgrade headers for a plain-HTTP gateway to trip over.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Checks every exchange of {@code set}, in the set's order. */
  List<Result> check(FixtureSet set) throws InterruptedException {
    List<Result> results = new ArrayList<>();
    for (FixtureSet.Entry entry : set.entries()) {
      results.add(check(entry.file(), entry.exchange()));
    }
    return results;
  }

  private Result check(String file, RecordedExchange recorded) throws InterruptedException {
    Upstream upstream = upstreams.get(recorded.provider());
    if (upstream == null) {
      return new Result(file, List.of(), "no upstream for provider " + recorded.provider()
          + "; give --upstream " + recorded.provider() + "=URL");
    }
    HttpRequest request;
    try {
      request = request(upstream, recorded);
    } catch (UpstreamTarget.RefusedException e) {
      return new Result(file, List.of(), "refused, nothing sent: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // A method or header name the HTTP client will not send: the file was edited by hand.
      return new Result(file, List.of(), "refused, nothing sent: the recorded request is not "
          + "valid HTTP: " + e.getMessage());
    }
    HttpResponse<byte[]> live;
    try {
      live = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Result(file, List.of(), "could not reach " + upstream.baseUri() + ": "
          + e.getMessage());
    }
    AnswerShape was = AnswerShape.of(recorded.status(), contentType(recorded.responseHeaders()),
        Chunk.join(recorded.chunks()));
    AnswerShape now = AnswerShape.of(live.statusCode(),
        live.headers().firstValue("content-type").orElse(null), live.body());
    return new Result(file, now.differencesFrom(was), null);
  }

  /**
   * The recorded request, for the upstream at its recorded path (after the upstream's own prefix).
   *
   * @throws UpstreamTarget.RefusedException when the path or query would not stay on the upstream
   */
  private HttpRequest request(Upstream upstream, RecordedExchange recorded) {
    RecordedExchange.Request r = recorded.request();
    String key = keys.get(recorded.provider());
    String query = key != null && recorded.provider().equals("gemini")
        ? withoutKeyParam(r.query()) : r.query();
    UpstreamTarget target = new UpstreamTarget(upstream, r.path(), query);
    HttpRequest.Builder b = HttpRequest.newBuilder(target.uri()).timeout(timeout)
        .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(r.body()));
    for (Header h : r.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (!NOT_SENT.contains(name) && !name.startsWith("x-llmsim-")
          && !name.equals("x-simulation-mode") && !h.value().contains(Redactor.REDACTED)) {
        b.header(h.name(), h.value());
      }
    }
    // Plain bytes, as recordings keep them.
    b.header("accept-encoding", "identity");
    if (key != null) {
      String header = KEY_HEADERS.get(recorded.provider());
      b.header(header, header.equals("authorization") ? "Bearer " + key : key);
    }
    return b.build();
  }

  private static String contentType(List<Header> headers) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase("content-type"))
        .map(Header::value).findFirst().orElse(null);
  }

  private static String withoutKeyParam(String query) {
    List<String> kept = new ArrayList<>();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty() && !pair.startsWith("key=")) {
        kept.add(pair);
      }
    }
    return String.join("&", kept);
  }
}
