package io.llmsim.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the percent-escapes of a URL part ({@code k%65y} is {@code key}) so the {@link Redactor}
 * matches what a server reads. Lenient, unlike {@link java.net.URLDecoder}: a {@code %} not
 * followed by two hex digits is kept as it is, since a recorded URL may be malformed.
 */
final class PercentDecoding {
  private PercentDecoding() {}

  /**
   * The decoded text, as UTF-8; {@code formEncoded} decodes {@code +} as a space, as a query
   * parameter is.
   */
  static String decode(String raw, boolean formEncoded) {
    if (raw.indexOf('%') < 0 && !(formEncoded && raw.indexOf('+') >= 0)) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
      if (b == '%' && hi >= 0 && lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(formEncoded && b == '+' ? ' ' : b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
