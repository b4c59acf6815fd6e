package io.llmsim.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token counting and splitting with a model's BPE encoding (jtokkit): o200k_base for the gpt-4o,
 * gpt-4.1, gpt-5 and o-series families (and, as an approximation, for other providers' models),
 * cl100k_base for gpt-4, gpt-3.5 and the embedding models. Thread-safe.
 */
public final class Tokenizer {
  private static final class Registry {
    static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
  }

  private static volatile Tokenizer o200k;
  private static volatile Tokenizer cl100k;

  private static final int MAX_CACHED_TEXT = 4096;
  private static final int MAX_CACHED_COUNTS = 8192;

  private final Encoding encoding;
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  private Tokenizer(Encoding encoding) {
    this.encoding = encoding;
  }

  /** The tokenizer OpenAI uses for {@code model}. */
  public static Tokenizer forModel(String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    boolean legacy =
        (m.startsWith("gpt-4") && !m.startsWith("gpt-4o") && !m.startsWith("gpt-4.1")
                && !m.startsWith("gpt-4.5"))
            || m.startsWith("gpt-3.5")
            || m.startsWith("text-embedding")
            || m.startsWith("davinci")
            || m.startsWith("babbage");
    return legacy ? cl100k() : o200k();
  }

  public static Tokenizer o200k() {
    Tokenizer t = o200k;
    if (t == null) {
      t = o200k = new Tokenizer(Registry.INSTANCE.getEncoding(EncodingType.O200K_BASE));
    }
    return t;
  }

  public static Tokenizer cl100k() {
    Tokenizer t = cl100k;
    if (t == null) {
      t = cl100k = new Tokenizer(Registry.INSTANCE.getEncoding(EncodingType.CL100K_BASE));
    }
    return t;
  }

  public String encodingName() {
    return encoding.getName();
  }

  /**
   * Number of tokens in {@code text}, special-token markers counted as ordinary text. Counts of
   * short texts are remembered: system prompts, tool schemas and conversation prefixes repeat from
   * request to request, and counting is the costliest step of a small synthesized answer.
   */
  public int count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    if (text.length() > MAX_CACHED_TEXT) {
      return encoding.countTokensOrdinary(text);
    }
    Integer cached = counts.get(text);
    if (cached != null) {
      return cached;
    }
    int count = encoding.countTokensOrdinary(text);
    if (counts.size() >= MAX_CACHED_COUNTS) {
      counts.clear(); // crude but bounded: a burst of distinct texts starts the cache afresh
    }
    counts.put(text, count);
    return count;
  }

  /**
   * Splits text into its tokens' strings, in order, so that they concatenate back to the text.
   * Tokens that end inside a multi-byte character are merged with the next ones until the bytes
   * decode cleanly, so a piece may hold more than one token: {@link Pieces#tokens()} says how many.
   */
  public Pieces pieces(String text) {
    Pieces.Builder pieces = new Pieces.Builder();
    if (text == null || text.isEmpty()) {
      return pieces.build();
    }
    IntArrayList tokens = encoding.encodeOrdinary(text);
    IntArrayList pending = new IntArrayList();
    for (int i = 0; i < tokens.size(); i++) {
      pending.add(tokens.get(i));
      byte[] bytes = encoding.decodeBytes(pending);
      if (completeUtf8(bytes)) {
        pieces.add(new String(bytes, StandardCharsets.UTF_8), pending.size());
        pending.clear();
      }
    }
    if (!pending.isEmpty()) {
      pieces.add(new String(encoding.decodeBytes(pending), StandardCharsets.UTF_8), pending.size());
    }
    return pieces.build();
  }

  private static boolean completeUtf8(byte[] bytes) {
    // Walk back over continuation bytes to the last lead byte and check its sequence is whole.
    int i = bytes.length - 1;
    int continuation = 0;
    while (i >= 0 && (bytes[i] & 0xC0) == 0x80) {
      continuation++;
      i--;
    }
    if (i < 0) {
      return continuation == 0;
    }
    int lead = bytes[i] & 0xFF;
    int needed = lead < 0x80 ? 0 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    return continuation >= needed;
  }
}
