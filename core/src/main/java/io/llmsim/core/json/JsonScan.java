package io.llmsim.core.json;

import java.nio.charset.StandardCharsets;

/**
 * Finds numbers in JSON bytes without parsing them: for frames passing through a stream, where a
 * frame may hold several events or part of one. Only a real key matches: inside a JSON string
 * quotes are escaped, so {@code "name":} cannot occur there.
 */
public final class JsonScan {
  private JsonScan() {}

  /** What {@link #lastNumber} looks for: the key in quotes and its colon. */
  public static byte[] key(String name) {
    return ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The non-negative integer after the last {@code key} in {@code bytes}, spaces allowed before
   * it; -1 when the key is absent or its last value is not such a number.
   */
  public static long lastNumber(byte[] bytes, byte[] key) {
    int at = lastIndexOf(bytes, key);
    if (at < 0) {
      return -1;
    }
    int i = at + key.length;
    while (i < bytes.length && bytes[i] == ' ') {
      i++;
    }
    int digits = i;
    long value = 0;
    while (i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9') {
      value = value * 10 + (bytes[i++] - '0');
    }
    return i > digits ? value : -1;
  }

  private static int lastIndexOf(byte[] bytes, byte[] needle) {
    outer:
    for (int i = bytes.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
