package io.llmsim.core.tokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text split into token-sized strings that concatenate back to it. A piece usually holds one
 * token; {@link #tokensOf(int)} says how many (more than one where a token ends inside a multi-byte
 * character).
 */
public final class Pieces {
  private final List<String> strings;
  private final int[] tokenCounts;
  private final int tokens;

  private Pieces(List<String> strings, int[] tokenCounts, int tokens) {
    this.strings = strings;
    this.tokenCounts = tokenCounts;
    this.tokens = tokens;
  }

  /** Pieces of exactly one token each. */
  public static Pieces ofSingleTokens(List<String> strings) {
    int[] counts = new int[strings.size()];
    Arrays.fill(counts, 1);
    return new Pieces(List.copyOf(strings), counts, counts.length);
  }

  public List<String> strings() {
    return strings;
  }

  public int size() {
    return strings.size();
  }

  public int tokensOf(int piece) {
    return tokenCounts[piece];
  }

  /** Total number of tokens. */
  public int tokens() {
    return tokens;
  }

  /** The longest prefix that holds at most {@code maxTokens} tokens. */
  public Pieces limit(int maxTokens) {
    if (tokens <= maxTokens) {
      return this;
    }
    int count = 0;
    int n = 0;
    while (n < tokenCounts.length && count + tokenCounts[n] <= maxTokens) {
      count += tokenCounts[n++];
    }
    return new Pieces(strings.subList(0, n), Arrays.copyOf(tokenCounts, n), count);
  }

  public String text() {
    return String.join("", strings);
  }

  /** The length of {@link #text()}, without building it. */
  public long textLength() {
    long length = 0;
    for (String piece : strings) {
      length += piece.length();
    }
    return length;
  }

  /** Collects pieces with their token counts. */
  public static final class Builder {
    private final List<String> strings = new ArrayList<>();
    private int[] counts = new int[16];

    public Builder add(String piece, int tokenCount) {
      if (strings.size() == counts.length) {
        counts = Arrays.copyOf(counts, counts.length * 2);
      }
      counts[strings.size()] = tokenCount;
      strings.add(piece);
      return this;
    }

    public Pieces build() {
      int[] kept = Arrays.copyOf(counts, strings.size());
      return new Pieces(List.copyOf(strings), kept, Arrays.stream(kept).sum());
    }
  }
}
