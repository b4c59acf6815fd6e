package io.llmsim.store;

import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.Request;
import io.llmsim.store.RecordedExchange.TokenUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link RecordedExchange} in the store: a magic byte, a format version, then
 * the fields in declaration order. Lengths and counts are unsigned varints and strings are UTF-8,
 * so a small exchange costs little more than its bodies. Version 1 is the only one so far; a record
 * with any other version is refused rather than guessed at.
 *
 * <p>Layout (v1): {@code 'X' 0x01 id fingerprint provider endpoint model? recordedAt(8)
 * method path query headers body status headers ttfbMicros chunks usageFlags [in] [out]
 * complete(1) tags}. A string is {@code varint length, bytes}; a nullable string stores
 * {@code length + 1}, 0 meaning null; a header list is {@code count, (name, value)*}; chunks are
 * {@code count, (varint offset, varint length, bytes)*}.
 */
public final class ExchangeCodec {
  /** First byte of every encoded exchange, so foreign bytes fail fast. */
  static final int MAGIC = 'X';
  /** The version this code writes and the only one it reads. */
  public static final int VERSION = 1;

  private static final int HAS_USAGE = 1;
  private static final int HAS_INPUT = 2;
  private static final int HAS_OUTPUT = 4;
  // Guards against a corrupt length asking for gigabytes before the read fails. No length in an
  // exchange that encode accepted is larger.
  private static final long MAX_LENGTH = ExchangeTooLargeException.MAX_BYTES;

  private ExchangeCodec() {}

  /**
   * Encodes an exchange.
   *
   * @throws ExchangeTooLargeException when the encoded exchange would be over
   *     {@link ExchangeTooLargeException#MAX_BYTES}: decode would refuse it
   */
  public static byte[] encode(RecordedExchange e) {
    return encode(e, ExchangeTooLargeException.MAX_BYTES);
  }

  /** {@link #encode(RecordedExchange)} with another limit (tests lower it). */
  static byte[] encode(RecordedExchange e, long limit) {
    long bodies = e.bodyLength() + e.request().bodyLength();
    if (bodies > limit) {
      // Refused before a buffer of that size is allocated.
      throw new ExchangeTooLargeException("exchange " + e.id(), bodies, limit);
    }
    // Sized for the whole record (a chunk adds two varints: its offset and length), so the buffer
    // is not copied to grow.
    long size = 256 + e.bodyLength() + 8L * e.chunks().size() + e.request().bodyLength()
        + headerBytes(e.request().headers()) + headerBytes(e.responseHeaders());
    ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(size, limit));
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeByte(MAGIC);
      out.writeByte(VERSION);
      writeString(out, e.id());
      writeString(out, e.fingerprint());
      writeString(out, e.provider());
      writeString(out, e.endpoint());
      writeNullableString(out, e.model());
      out.writeLong(e.recordedAtMillis());
      Request r = e.request();
      writeString(out, r.method());
      writeString(out, r.path());
      writeString(out, r.query());
      writeHeaders(out, r.headers());
      writeBytes(out, r.body());
      writeVarLong(out, e.status());
      writeHeaders(out, e.responseHeaders());
      writeVarLong(out, e.timeToHeadersMicros());
      writeVarLong(out, e.chunks().size());
      for (Chunk c : e.chunks()) {
        writeVarLong(out, c.offsetMicros());
        writeBytes(out, c.bytes());
      }
      TokenUsage u = e.usage();
      int flags = 0;
      if (u != null) {
        flags = HAS_USAGE | (u.inputTokens() != null ? HAS_INPUT : 0)
            | (u.outputTokens() != null ? HAS_OUTPUT : 0);
      }
      out.writeByte(flags);
      if ((flags & HAS_INPUT) != 0) {
        writeVarLong(out, u.inputTokens());
      }
      if ((flags & HAS_OUTPUT) != 0) {
        writeVarLong(out, u.outputTokens());
      }
      out.writeBoolean(e.complete());
      writeVarLong(out, e.tags().size());
      for (String t : e.tags()) {
        writeString(out, t);
      }
    } catch (IOException ex) {
      // A ByteArrayOutputStream does not throw; this only satisfies the DataOutput signature.
      throw new UncheckedIOException(ex);
    }
    if (buf.size() > limit) {
      throw new ExchangeTooLargeException("exchange " + e.id(), buf.size(), limit);
    }
    return buf.toByteArray();
  }

  /**
   * Decodes an exchange.
   *
   * @throws IllegalArgumentException when the bytes are not an exchange, are truncated, or carry an
   *     unknown format version
   */
  public static RecordedExchange decode(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      int magic = in.readUnsignedByte();
      if (magic != MAGIC) {
        throw new IllegalArgumentException("not an encoded exchange (magic " + magic + ")");
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown exchange format version " + version
            + " (this build reads " + VERSION + ")");
      }
      String id = readString(in);
      String fingerprint = readString(in);
      String provider = readString(in);
      String endpoint = readString(in);
      String model = readNullableString(in);
      long recordedAt = in.readLong();
      Request request = new Request(readString(in), readString(in), readString(in),
          readHeaders(in), readBytes(in));
      int status = (int) readVarLong(in);
      List<Header> responseHeaders = readHeaders(in);
      long ttfb = readVarLong(in);
      int chunkCount = readCount(in);
      List<Chunk> chunks = new ArrayList<>(Math.min(chunkCount, 4096));
      for (int i = 0; i < chunkCount; i++) {
        long offset = readVarLong(in);
        chunks.add(new Chunk(offset, readBytes(in)));
      }
      int flags = in.readUnsignedByte();
      TokenUsage usage = null;
      if ((flags & HAS_USAGE) != 0) {
        Long input = (flags & HAS_INPUT) != 0 ? readVarLong(in) : null;
        Long output = (flags & HAS_OUTPUT) != 0 ? readVarLong(in) : null;
        usage = new TokenUsage(input, output);
      }
      boolean complete = in.readBoolean();
      int tagCount = readCount(in);
      List<String> tags = new ArrayList<>(Math.min(tagCount, 64));
      for (int i = 0; i < tagCount; i++) {
        tags.add(readString(in));
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("trailing bytes after encoded exchange");
      }
      return new RecordedExchange(id, fingerprint, provider, endpoint, model, recordedAt, request,
          status, responseHeaders, ttfb, chunks, usage, complete, tags);
    } catch (EOFException ex) {
      throw new IllegalArgumentException("truncated encoded exchange", ex);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Reads the format version of encoded bytes without decoding them; -1 if not an exchange. */
  public static int versionOf(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == MAGIC ? bytes[1] & 0xff : -1;
  }

  private static void writeHeaders(DataOutput out, List<Header> headers) throws IOException {
    writeVarLong(out, headers.size());
    for (Header h : headers) {
      writeString(out, h.name());
      writeString(out, h.value());
    }
  }

  private static List<Header> readHeaders(DataInput in) throws IOException {
    int n = readCount(in);
    List<Header> headers = new ArrayList<>(Math.min(n, 256));
    for (int i = 0; i < n; i++) {
      headers.add(new Header(readString(in), readString(in)));
    }
    return headers;
  }

  private static void writeString(DataOutput out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeNullableString(DataOutput out, String s) throws IOException {
    if (s == null) {
      writeVarLong(out, 0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarLong(out, b.length + 1L);
    out.write(b);
  }

  private static String readString(DataInput in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static String readNullableString(DataInput in) throws IOException {
    int n = readCount(in);
    if (n == 0) {
      return null;
    }
    byte[] b = new byte[n - 1];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** About what {@link #writeHeaders} writes: ASCII names and values, two lengths each. */
  private static long headerBytes(List<Header> headers) {
    long n = 4;
    for (Header h : headers) {
      n += h.name().length() + h.value().length() + 4;
    }
    return n;
  }

  private static void writeBytes(DataOutput out, byte[] b) throws IOException {
    writeVarLong(out, b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    byte[] b = new byte[readCount(in)];
    in.readFully(b);
    return b;
  }

  private static int readCount(DataInput in) throws IOException {
    long n = readVarLong(in);
    if (n > MAX_LENGTH) {
      throw new IllegalArgumentException("corrupt encoded exchange: length " + n);
    }
    return (int) n;
  }

  /** Unsigned LEB128; negative values are refused (no field is negative). */
  static void writeVarLong(DataOutput out, long v) throws IOException {
    if (v < 0) {
      throw new IllegalArgumentException("negative value " + v + " in an unsigned field");
    }
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static long readVarLong(DataInput in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("corrupt encoded exchange: varint too long");
  }
}
