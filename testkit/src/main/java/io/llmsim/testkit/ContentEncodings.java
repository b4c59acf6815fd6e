package io.llmsim.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Bodies as a client or an upstream sends them with {@code content-encoding}: gzip, deflate (zlib
 * or raw) and br. The JDK has no Brotli encoder, so {@link #brotli} writes a valid stream of
 * uncompressed meta-blocks (RFC 7932 §9.2), which every decoder reads like any other.
 */
public final class ContentEncodings {
  private static final int BROTLI_BLOCK = 65_536;

  private ContentEncodings() {}

  public static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** HTTP's deflate (a zlib stream), or a raw deflate stream as some servers send. */
  public static byte[] deflate(byte[] plain, boolean raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(9, raw))) {
      d.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A Brotli stream holding {@code plain} in uncompressed meta-blocks of at most 64 KiB. */
  public static byte[] brotli(byte[] plain) {
    Bits bits = new Bits();
    bits.write(0, 1); // WBITS = 16
    for (int at = 0; at < plain.length; at += BROTLI_BLOCK) {
      int length = Math.min(BROTLI_BLOCK, plain.length - at);
      bits.write(0, 1); // ISLAST = 0
      bits.write(0, 2); // MNIBBLES = 4
      bits.write(length - 1, 16); // MLEN - 1
      bits.write(1, 1); // ISUNCOMPRESSED
      bits.align();
      bits.out.write(plain, at, length);
    }
    bits.write(1, 1); // ISLAST
    bits.write(1, 1); // ISLASTEMPTY
    bits.align();
    return bits.out.toByteArray();
  }

  /** A bit writer, least significant bit first, as Brotli packs its headers. */
  private static final class Bits {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int used;

    void write(int value, int count) {
      for (int i = 0; i < count; i++) {
        current |= ((value >>> i) & 1) << used;
        if (++used == 8) {
          align();
        }
      }
    }

    void align() {
      if (used > 0) {
        out.write(current);
        current = 0;
        used = 0;
      }
    }
  }
}
