package io.llmsim.core.generate;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in text generators, by config name: {@code lorem} (default), {@code echo} (the last user
 * message), {@code fixed:TEXT}, {@code sequence:A|B|C} (cycles through the texts, one per answer).
 */
public final class Generators {
  private Generators() {}

  public static TextGenerator lorem() {
    return LoremGenerator.INSTANCE;
  }

  /** Answers with the last user message, or lorem when there is none. */
  public static TextGenerator echo() {
    return (request, target, tokenizer, random) -> {
      String text = request.lastUserText();
      return text.isEmpty()
          ? lorem().generate(request, target, tokenizer, random)
          : tokenizer.pieces(text);
    };
  }

  public static TextGenerator fixed(String text) {
    return (request, target, tokenizer, random) -> tokenizer.pieces(text);
  }

  /** Cycles through {@code texts}: the first answer gets the first text, and so on. */
  public static TextGenerator sequence(List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("sequence generator needs at least one text");
    }
    List<String> copy = List.copyOf(texts);
    AtomicLong next = new AtomicLong();
    return (request, target, tokenizer, random) ->
        tokenizer.pieces(copy.get((int) (next.getAndIncrement() % copy.size())));
  }

  /**
   * Parses a generator spec: {@code lorem}, {@code echo}, {@code fixed:TEXT} or
   * {@code sequence:A|B|C}.
   */
  public static TextGenerator parse(String spec) {
    int colon = spec.indexOf(':');
    String kind = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : spec.substring(colon + 1);
    switch (kind) {
      case "lorem":
        return lorem();
      case "echo":
        return echo();
      case "fixed":
        if (arg == null || arg.isEmpty()) {
          throw new IllegalArgumentException("generator 'fixed' needs a text: fixed:TEXT");
        }
        return fixed(arg);
      case "sequence":
        if (arg == null || arg.isEmpty()) {
          throw new IllegalArgumentException("generator 'sequence' needs texts: sequence:A|B|C");
        }
        return sequence(List.of(arg.split("\\|", -1)));
      default:
        throw new IllegalArgumentException(
            "unknown generator '" + spec + "'; expected lorem, echo, fixed:TEXT or sequence:A|B|C");
    }
  }
}
