package io.llmsim.store;

import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Undoes {@code content-encoding} ({@code gzip}, {@code deflate}, {@code br}, and any stack of
 * them) on a request body and a response body, so the {@link Redactor} sees the text a secret
 * would be in, and a store keeps bodies a person can read. The decoded body no longer has the
 * encoding, so {@code content-encoding} (and {@code content-length}, which described the encoded
 * bytes) leave the headers; replay then answers the plain bytes, which every client accepts.
 *
 * <p>Decoding is bounded: a body that decodes to more than the limit (a decompression bomb), an
 * encoding this build cannot decode, or a corrupt body is refused with an
 * {@link UndecodableBodyException}, and the caller must not store the exchange, since the raw bytes
 * could hold a secret no rule can see. The response keeps its chunking: the bytes decoded while a
 * chunk was being read take that chunk's offset, so replay keeps the recorded timing (exactly for
 * gzip and deflate, which decode as they read; br reads ahead, so its text may move to a later
 * chunk, never an earlier one).
 */
public final class ContentDecoding {
  /** The default limit of a decoded body: far above any answer a provider sends. */
  public static final long DEFAULT_LIMIT = 64L * 1024 * 1024;

  private static final int BUFFER = 8192;

  private ContentDecoding() {}

  /** Thrown when a body cannot be decoded; the message says why and never holds its bytes. */
  public static final class UndecodableBodyException extends RuntimeException {
    UndecodableBodyException(String message) {
      super(message);
    }
  }

  /**
   * The exchange with its request and response bodies decoded; the same instance when neither
   * is encoded.
   *
   * @throws UndecodableBodyException when a body cannot be decoded within {@code limit} bytes
   */
  public static RecordedExchange decode(RecordedExchange e, long limit) {
    Request r = e.request();
    List<String> requestCodings = codings(r.headers());
    List<String> responseCodings = codings(e.responseHeaders());
    if (requestCodings.isEmpty() && responseCodings.isEmpty()) {
      return e;
    }
    Request request = r;
    if (!requestCodings.isEmpty()) {
      byte[] body = decodeChunks(requestCodings, List.of(new Chunk(0, r.body())), limit, false,
          "request body").stream().map(Chunk::bytes).findFirst().orElse(new byte[0]);
      request = new Request(r.method(), r.path(), r.query(), withoutEncoding(r.headers()), body);
    }
    List<Header> responseHeaders = e.responseHeaders();
    List<Chunk> chunks = e.chunks();
    if (!responseCodings.isEmpty()) {
      // A cut exchange ends mid-stream: what decoded up to the cut is what the client got.
      chunks = decodeChunks(responseCodings, chunks, limit, !e.complete(), "response body");
      responseHeaders = withoutEncoding(responseHeaders);
    }
    return e.withContent(request, responseHeaders, chunks);
  }

  /**
   * The codings a header list applies, in the order they were applied, without {@code identity};
   * empty when the body is plain.
   */
  static List<String> codings(List<Header> headers) {
    List<String> out = new ArrayList<>();
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase("content-encoding")) {
        for (String token : h.value().split(",")) {
          String coding = token.trim().toLowerCase(Locale.ROOT);
          if (!coding.isEmpty() && !coding.equals("identity")) {
            out.add(coding);
          }
        }
      }
    }
    return out;
  }

  private static List<Header> withoutEncoding(List<Header> headers) {
    return headers.stream().filter(h -> !h.name().equalsIgnoreCase("content-encoding")
        && !h.name().equalsIgnoreCase("content-length")).toList();
  }

  private static List<Chunk> decodeChunks(List<String> codings, List<Chunk> chunks, long limit,
      boolean cut, String what) {
    if (chunks.stream().allMatch(c -> c.length() == 0)) {
      return List.of(); // nothing was encoded
    }
    ChunkInput source = new ChunkInput(chunks);
    List<ByteArrayOutputStream> decoded = new ArrayList<>(chunks.size());
    chunks.forEach(c -> decoded.add(new ByteArrayOutputStream()));
    long total = 0;
    try (InputStream in = decoder(codings, source, what)) {
      byte[] buf = new byte[BUFFER];
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
        if (total > limit) {
          throw new UndecodableBodyException(what + " decodes to more than " + limit
              + " bytes (" + String.join(", ", codings) + ")");
        }
        decoded.get(source.current()).write(buf, 0, n);
      }
    } catch (EOFException truncated) {
      if (!cut) {
        throw new UndecodableBodyException(what + " ends inside its " + String.join(", ", codings)
            + " encoding");
      }
    } catch (UndecodableBodyException refused) {
      throw refused;
    } catch (IOException | RuntimeException corrupt) {
      // The Brotli decoder reports some corrupt input unchecked.
      throw new UndecodableBodyException(what + " is not valid " + String.join(", ", codings)
          + " (" + corrupt.getClass().getSimpleName() + ")");
    }
    List<Chunk> out = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      // An empty chunk would end a chunked answer early on replay: its time passes unmarked.
      if (decoded.get(i).size() > 0) {
        out.add(new Chunk(chunks.get(i).offsetMicros(), decoded.get(i).toByteArray()));
      }
    }
    return out;
  }

  /** The decoders of the codings stacked over the source, the last applied read first. */
  private static InputStream decoder(List<String> codings, InputStream source, String what)
      throws IOException {
    InputStream in = source;
    for (int i = codings.size() - 1; i >= 0; i--) {
      in = switch (codings.get(i)) {
        case "gzip", "x-gzip" -> new GZIPInputStream(in, BUFFER);
        case "deflate" -> deflate(in);
        case "br" -> new BulkReads(new BrotliInputStream(in));
        default -> throw new UndecodableBodyException(what + " has content-encoding '"
            + codings.get(i) + "', which llmsim cannot decode to check for secrets");
      };
    }
    return in;
  }

  /**
   * HTTP's {@code deflate} is a zlib stream (RFC 9110 §8.4.1.2), but some servers send raw
   * deflate: a zlib header is recognised by its first two bytes.
   */
  private static InputStream deflate(InputStream in) throws IOException {
    PushbackInputStream peek = new PushbackInputStream(in, 2);
    int b0 = peek.read();
    int b1 = b0 < 0 ? -1 : peek.read();
    if (b1 >= 0) {
      peek.unread(b1);
    }
    if (b0 >= 0) {
      peek.unread(b0);
    }
    boolean zlib = b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
    return new InflaterInputStream(peek, new Inflater(!zlib), BUFFER);
  }

  /**
   * Turns single-byte reads into bulk reads. {@code org.brotli:dec} 0.1.2 (the newest release of
   * Google's Java decoder) loses the bytes its single-byte {@code read()} buffered ahead when a
   * bulk read follows, which is what a gzip decoder stacked on it does.
   */
  private static final class BulkReads extends FilterInputStream {
    BulkReads(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      // A bulk read of one byte blocks until it has it, or answers -1 at the end.
      return in.read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }
  }

  /**
   * The chunks as one stream that never returns bytes of two chunks from one read, so the chunk a
   * decoder is reading when it returns text is known.
   */
  private static final class ChunkInput extends InputStream {
    private final List<Chunk> chunks;
    private int index;
    private int position;
    private byte[] bytes;
    private int current;

    ChunkInput(List<Chunk> chunks) {
      this.chunks = chunks;
      this.bytes = chunks.isEmpty() ? new byte[0] : chunks.get(0).bytes();
    }

    /** The chunk the last byte read came from. */
    int current() {
      return current;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      while (position == bytes.length) {
        if (index + 1 >= chunks.size()) {
          return -1;
        }
        index++;
        bytes = chunks.get(index).bytes();
        position = 0;
      }
      int n = Math.min(len, bytes.length - position);
      System.arraycopy(bytes, position, b, off, n);
      position += n;
      current = index;
      return n;
    }
  }
}
