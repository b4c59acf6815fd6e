package io.llmsim.store;

/**
 * Decodes the escapes of a JSON string literal's content ({@code \"}, {@code \\n},
 * {@code \u0070}, …) so the {@link Redactor} matches the text a JSON reader sees. Lenient: an
 * escape JSON does not know is kept as it is, since the input may not be JSON at all.
 */
final class JsonEscapes {
  private JsonEscapes() {}

  /** The decoded content of {@code text} from {@code start} (inclusive) to {@code end}. */
  static String decode(String text, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    int i = start;
    while (i < end) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 >= end) {
        out.append(c);
        i++;
        continue;
      }
      char e = text.charAt(i + 1);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          int code = i + 6 <= end ? hex4(text, i + 2) : -1;
          if (code < 0) {
            out.append(c).append(e);
          } else {
            out.append((char) code);
            i += 4;
          }
        }
        default -> out.append(c).append(e);
      }
      i += 2;
    }
    return out.toString();
  }

  private static int hex4(String text, int at) {
    int value = 0;
    for (int k = at; k < at + 4; k++) {
      int d = Character.digit(text.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      value = value * 16 + d;
    }
    return value;
  }
}
