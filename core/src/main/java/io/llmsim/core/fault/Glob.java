package io.llmsim.core.fault;

import java.util.regex.Pattern;

/** A shell-style pattern: {@code *} any run of characters, {@code ?} one; the rest literal. */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text) {
    this.text = text;
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    this.pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  public static Glob of(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a pattern must not be empty");
    }
    return new Glob(text.trim());
  }

  /** True when the pattern has a wildcard; a plain pattern is matched as a literal. */
  public boolean hasWildcard() {
    return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
  }

  public boolean matches(String value) {
    return value != null && pattern.matcher(value).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
