package io.llmsim.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One exchange recorded against a real provider: the (already redacted) request, the response head,
 * and every response body chunk with its arrival offset, so replay can reproduce the bytes and the
 * timing. Immutable: lists are copied, byte arrays are copied in and out.
 *
 * @param id unique id of this recording
 * @param fingerprint the request fingerprint (see {@link Fingerprint}); takes share it
 * @param provider provider name, for example {@code openai}
 * @param endpoint endpoint name, for example {@code chat.completions}
 * @param model model name as requested; may be null when the request named none
 * @param recordedAtMillis when the request was sent upstream, epoch milliseconds
 * @param request the redacted request
 * @param status the upstream HTTP status
 * @param responseHeaders the redacted response headers, in arrival order
 * @param timeToHeadersMicros microseconds from sending the request to the response headers
 * @param chunks the body chunks in arrival order
 * @param usage token usage as the provider reported it; null when it reported none
 * @param complete false when the upstream or the client cut the exchange short
 * @param tags free-form tags
 */
public record RecordedExchange(
    String id,
    String fingerprint,
    String provider,
    String endpoint,
    String model,
    long recordedAtMillis,
    Request request,
    int status,
    List<Header> responseHeaders,
    long timeToHeadersMicros,
    List<Chunk> chunks,
    TokenUsage usage,
    boolean complete,
    List<String> tags) {

  /** Checks the required fields and freezes the lists. */
  public RecordedExchange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(request, "request");
    responseHeaders = List.copyOf(responseHeaders);
    chunks = List.copyOf(chunks);
    tags = List.copyOf(tags);
  }

  /** Total response body length over all chunks. */
  public long bodyLength() {
    long n = 0;
    for (Chunk c : chunks) {
      n += c.length();
    }
    return n;
  }

  /** A copy with other tags. */
  public RecordedExchange withTags(List<String> newTags) {
    return new RecordedExchange(id, fingerprint, provider, endpoint, model, recordedAtMillis,
        request, status, responseHeaders, timeToHeadersMicros, chunks, usage, complete, newTags);
  }

  /** A copy with other token usage. */
  public RecordedExchange withUsage(TokenUsage newUsage) {
    return new RecordedExchange(id, fingerprint, provider, endpoint, model, recordedAtMillis,
        request, status, responseHeaders, timeToHeadersMicros, chunks, newUsage, complete, tags);
  }

  /** A copy with another request, response headers and chunks (used by the redactor). */
  public RecordedExchange withContent(Request newRequest, List<Header> newResponseHeaders,
      List<Chunk> newChunks) {
    return new RecordedExchange(id, fingerprint, provider, endpoint, model, recordedAtMillis,
        newRequest, status, newResponseHeaders, timeToHeadersMicros, newChunks, usage, complete,
        tags);
  }

  // A summary only: bodies and header values never go to logs through toString.
  @Override
  public String toString() {
    return "RecordedExchange[id=" + id + ", fingerprint=" + fingerprint + ", provider=" + provider
        + ", endpoint=" + endpoint + ", model=" + model + ", status=" + status + ", chunks="
        + chunks.size() + ", bytes=" + bodyLength() + ", complete=" + complete + "]";
  }

  /** One header; names keep their case, order and repeats are preserved by the lists. */
  public record Header(String name, String value) {
    /** Checks both parts are present. */
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "Header[" + name + "]";
    }
  }

  /**
   * The request as sent upstream, after redaction.
   *
   * @param method HTTP method
   * @param path the path without the query
   * @param query the raw query string without {@code ?}; empty when there was none
   * @param headers the redacted headers in order
   * @param body the body bytes (empty when none)
   */
  public record Request(String method, String path, String query, List<Header> headers,
      byte[] body) {
    /** Copies the inputs so the record cannot change under a reader. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      query = query == null ? "" : query;
      headers = List.copyOf(headers);
      body = body == null ? new byte[0] : body.clone();
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
      return body.clone();
    }

    /** The body length without copying it. */
    public int bodyLength() {
      return body.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Request r && method.equals(r.method) && path.equals(r.path)
          && query.equals(r.query) && headers.equals(r.headers) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
      return Objects.hash(method, path, query, headers) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return "Request[" + method + " " + path + ", headers=" + headers.size() + ", bytes="
          + body.length + "]";
    }
  }

  /**
   * One body chunk as it arrived from the upstream.
   *
   * @param offsetMicros microseconds from sending the request upstream to this chunk's arrival
   * @param bytes the raw bytes, exactly as received
   */
  public record Chunk(long offsetMicros, byte[] bytes) {
    /** Copies the bytes. */
    public Chunk {
      bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The length without copying. */
    public int length() {
      return bytes.length;
    }

    /** The bytes of {@code chunks} end to end (a whole body), copied once. */
    public static byte[] join(List<Chunk> chunks) {
      int total = 0;
      for (Chunk c : chunks) {
        total += c.bytes.length;
      }
      byte[] joined = new byte[total];
      int at = 0;
      for (Chunk c : chunks) {
        System.arraycopy(c.bytes, 0, joined, at, c.bytes.length);
        at += c.bytes.length;
      }
      return joined;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk c && offsetMicros == c.offsetMicros
          && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(offsetMicros) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Chunk[+" + offsetMicros + "us, " + bytes.length + " bytes]";
    }
  }

  /**
   * Token usage as the provider reported it; either count may be null when it was not reported.
   *
   * @param inputTokens prompt/input tokens
   * @param outputTokens completion/output tokens
   */
  public record TokenUsage(Long inputTokens, Long outputTokens) {}
}
