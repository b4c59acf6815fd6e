package io.llmsim.core.mode;

import java.util.Locale;

/** How the server answers a request (DESIGN §4). */
public enum Mode {
  SYNTHESIZE,
  REPLAY,
  RECORD,
  PASSTHROUGH;

  /** The token as it appears in the header and the config. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a mode token; returns null when it names no mode. */
  public static Mode fromToken(String token) {
    for (Mode mode : values()) {
      if (mode.token().equals(token)) {
        return mode;
      }
    }
    return null;
  }
}
