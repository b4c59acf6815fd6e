package io.llmsim.proxy;

import io.llmsim.core.plan.ResponsePlan;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes the status line and headers of llmsim's answers straight into bytes, in place of Netty's
 * response encoder: a whole answer becomes one buffer (head and body), with no header map, no
 * response object and no promise combiner per answer, which was a tenth of the server's CPU under
 * load. Header names are checked once and kept encoded. Values are checked on every answer (they may
 * come from a recording or a fixture file someone edited): a value that would break the framing
 * (a control character) leaves its header out, with a warning, rather than failing the answer;
 * so does a name that is not an HTTP token.
 *
 * <p>The framing headers are llmsim's own: {@code content-length} or {@code transfer-encoding:
 * chunked}, and {@code connection}, are written here and dropped from the plan's headers.
 */
final class ResponseHead {
  private static final Logger log = LoggerFactory.getLogger(ResponseHead.class);

  /** What the {@code connection} header of an answer says. */
  enum Connection {
    /** Nothing: the HTTP/1.1 default, the connection stays open. */
    DEFAULT(""),
    /** {@code connection: close}: the server closes the connection after this answer. */
    CLOSE("connection: close\r\n"),
    /** {@code connection: keep-alive}: an HTTP/1.0 client that asked to keep the connection. */
    KEEP_ALIVE("connection: keep-alive\r\n");

    private final byte[] line;

    Connection(String line) {
      this.line = line.getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final byte[][] STATUS_LINES = new byte[600][];
  private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
  private static final byte[] CHUNKED = ascii("transfer-encoding: chunked\r\n");
  private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
  /** A name is dropped from a plan's headers when the head writes its own. */
  private static final byte[] DROPPED = new byte[0];
  /** Header names as {@code "name: "}; bounded, since names come from dialects and recordings. */
  private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();
  private static final int MAX_NAMES = 1024;
  private static final NameValidator<CharSequence> NAME_VALIDATOR =
      DefaultHttpHeadersFactory.headersFactory().getNameValidator();
  /** Each event loop encodes its heads here before copying them out with the body. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[2048]);

  static {
    for (int code = 100; code < STATUS_LINES.length; code++) {
      STATUS_LINES[code] = statusLine(code);
    }
  }

  private ResponseHead() {}

  /** A whole answer: head, {@code content-length} and (unless {@code headOnly}) the body. */
  static ByteBuf whole(ByteBufAllocator alloc, ResponsePlan plan, byte[] body,
      Connection connection, boolean headOnly) {
    byte[] head = SCRATCH.get();
    int length = writeHead(head, plan, connection);
    head = SCRATCH.get(); // writeHead may have grown it
    byte[] contentLength = ascii(Integer.toString(body.length));
    int bodyBytes = headOnly ? 0 : body.length;
    ByteBuf out = alloc.directBuffer(
        length + CONTENT_LENGTH.length + contentLength.length + 4 + bodyBytes);
    out.writeBytes(head, 0, length)
        .writeBytes(CONTENT_LENGTH).writeBytes(contentLength).writeShort(CRLF).writeShort(CRLF);
    if (!headOnly) {
      out.writeBytes(body);
    }
    return out;
  }

  /** The head of a chunked answer, up to and including the blank line; chunks follow. */
  static ByteBuf chunked(ByteBufAllocator alloc, ResponsePlan plan, Connection connection) {
    int length = writeHead(SCRATCH.get(), plan, connection);
    return alloc.directBuffer(length + CHUNKED.length + 2)
        .writeBytes(SCRATCH.get(), 0, length).writeBytes(CHUNKED).writeShort(CRLF);
  }

  /** The chunk that ends a chunked body (no trailers). */
  static ByteBuf lastChunk(ByteBufAllocator alloc) {
    return alloc.directBuffer(LAST_CHUNK.length).writeBytes(LAST_CHUNK);
  }

  private static final short CRLF = ('\r' << 8) | '\n';

  /**
   * Writes the status line, the plan's headers and the connection header into the thread's
   * scratch array (growing it as needed); returns the number of bytes.
   */
  private static int writeHead(byte[] scratch, ResponsePlan plan, Connection connection) {
    byte[] out = scratch;
    byte[] status = statusLineOf(plan.status());
    int at = 0;
    out = fit(out, at, status.length);
    System.arraycopy(status, 0, out, at, status.length);
    at += status.length;
    for (Map.Entry<String, String> header : plan.headers()) {
      byte[] name = nameOf(header.getKey());
      if (name == DROPPED) {
        continue;
      }
      String value = header.getValue();
      out = fit(out, at, name.length + value.length() + 2);
      if (!isValidValue(value)) {
        log.warn("left out the header {} of an answer: its value holds a control character",
            header.getKey());
        continue;
      }
      System.arraycopy(name, 0, out, at, name.length);
      at += name.length;
      byte[] encoded = value.getBytes(StandardCharsets.ISO_8859_1); // a non-Latin-1 char is '?'
      System.arraycopy(encoded, 0, out, at, encoded.length);
      at += encoded.length;
      out[at++] = '\r';
      out[at++] = '\n';
    }
    out = fit(out, at, connection.line.length);
    System.arraycopy(connection.line, 0, out, at, connection.line.length);
    return at + connection.line.length;
  }

  /** {@code out}, or a larger copy (kept as the thread's scratch) with room for {@code more}. */
  private static byte[] fit(byte[] out, int used, int more) {
    if (used + more <= out.length) {
      return out;
    }
    byte[] larger = Arrays.copyOf(out, Math.max(out.length * 2, used + more));
    SCRATCH.set(larger);
    return larger;
  }

  /** No control character but tab (RFC 9110 §5.5), so no value can end a line early. */
  private static boolean isValidValue(String value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static byte[] nameOf(String name) {
    byte[] cached = NAMES.get(name);
    if (cached != null) {
      return cached;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    byte[] encoded = lower.equals("content-length") || lower.equals("transfer-encoding")
        || lower.equals("connection")
        ? DROPPED
        : nameBytes(name);
    if (NAMES.size() < MAX_NAMES) {
      NAMES.put(name, encoded);
    }
    return encoded;
  }

  /** {@code "name: "}, or {@link #DROPPED} for a name that is not an HTTP token. */
  private static byte[] nameBytes(String name) {
    try {
      NAME_VALIDATOR.validateName(name);
    } catch (IllegalArgumentException notAToken) {
      log.warn("left out a header of an answer: its name is not an HTTP token");
      return DROPPED;
    }
    return ascii(name + ": ");
  }

  private static byte[] statusLineOf(int code) {
    return code >= 100 && code < STATUS_LINES.length ? STATUS_LINES[code] : statusLine(code);
  }

  private static byte[] statusLine(int code) {
    return ascii("HTTP/1.1 " + HttpResponseStatus.valueOf(code) + "\r\n");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
