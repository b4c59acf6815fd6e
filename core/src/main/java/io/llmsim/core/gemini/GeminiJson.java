package io.llmsim.core.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.llmsim.core.json.JsonBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Google's JSON byte style (WIRE-FORMATS §6.3, §6.4): whole bodies pretty-printed with two-space
 * indents and {@code "key": value}; stream events on one line with a space after each colon and
 * none after commas; {@code <}, {@code >} and {@code &} written as JSON Unicode escapes with
 * lower-case hex (backslash, {@code u003c} and so on), as Go's encoder writes them. Parsers do
 * not care; byte-exact comparisons with recorded traffic do.
 */
final class GeminiJson {
  static final String JSON_TYPE = "application/json; charset=UTF-8";
  static final String SSE_TYPE = "text/event-stream";

  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator("")
                  .withRootSeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  /** Stateless, so one instance serves every generator. */
  private static final MinimalPrettyPrinter ONE_LINE =
      new MinimalPrettyPrinter("") {
        private static final long serialVersionUID = 1L;

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
          g.writeRaw(": ");
        }
      };

  private static final CharacterEscapes HTML_SAFE = new HtmlSafeEscapes();

  private GeminiJson() {}

  /** A whole body, pretty-printed as Google's REST front end sends it. */
  static byte[] pretty(JsonBytes.Body body) {
    return prettyBetween(null, body);
  }

  /** Pretty-printed JSON after {@code prefix} (an element of a streamed array). */
  static byte[] prettyBetween(byte[] prefix, JsonBytes.Body body) {
    return JsonBytes.write(prefix, g -> {
      g.setPrettyPrinter(PRETTY.createInstance());
      g.setCharacterEscapes(HTML_SAFE);
      body.write(g);
    }, null);
  }

  /** One line of JSON between {@code prefix} and {@code suffix}, as in a stream event. */
  static byte[] oneLine(byte[] prefix, JsonBytes.Body body, byte[] suffix) {
    return JsonBytes.write(prefix, g -> {
      g.setPrettyPrinter(ONE_LINE);
      g.setCharacterEscapes(HTML_SAFE);
      body.write(g);
    }, suffix);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Lower-case hex escapes, as Go and ESF write them (Jackson's own are upper-case). */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] codes = standardAsciiEscapesForJSON();
    private final SerializedString lt = new SerializedString("\\u003c");
    private final SerializedString gt = new SerializedString("\\u003e");
    private final SerializedString amp = new SerializedString("\\u0026");

    HtmlSafeEscapes() {
      codes['<'] = ESCAPE_CUSTOM;
      codes['>'] = ESCAPE_CUSTOM;
      codes['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return codes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      switch (ch) {
        case '<':
          return lt;
        case '>':
          return gt;
        case '&':
          return amp;
        default:
          return null;
      }
    }
  }
}
