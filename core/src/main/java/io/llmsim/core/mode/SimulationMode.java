package io.llmsim.core.mode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parsed {@code x-simulation-mode} header (DESIGN §4):
 * {@code <mode> [; <param>=<value>]*}. Parameter names are checked against the grammar here; what a
 * value means (and whether this server offers it) is checked by whoever uses it.
 *
 * <pre>{@code
 * SimulationMode m = SimulationMode.parse("synthesize; seed=7; speed=2x");
 * m.mode();          // SYNTHESIZE
 * m.param("seed");   // "7"
 * }</pre>
 */
public record SimulationMode(Mode mode, Map<String, String> params) {
  public static final String HEADER = "x-simulation-mode";

  /** Every parameter the grammar knows. Unknown parameters are an error, never ignored. */
  public static final Set<String> PARAMETERS =
      Set.of(
          "speed", "fault", "fault-rate", "after", "retry-after", "hang", "profile", "seed",
          "take", "on-miss");

  public SimulationMode {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  public static SimulationMode of(Mode mode) {
    return new SimulationMode(mode, Map.of());
  }

  /** Parses the header value; throws {@link SimulationModeException} naming the bad token. */
  public static SimulationMode parse(String header) {
    String[] parts = header.split(";", -1);
    String modeToken = parts[0].trim().toLowerCase(Locale.ROOT);
    if (modeToken.isEmpty()) {
      throw new SimulationModeException(
          "x-simulation-mode: missing mode; expected one of synthesize, replay, record, passthrough");
    }
    Mode mode = Mode.fromToken(modeToken);
    if (mode == null) {
      throw new SimulationModeException(
          "x-simulation-mode: unknown mode '" + parts[0].trim()
              + "'; expected one of synthesize, replay, record, passthrough");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.isEmpty()) {
        if (i == parts.length - 1) {
          continue; // a trailing semicolon is harmless
        }
        throw new SimulationModeException("x-simulation-mode: empty parameter at position " + i);
      }
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw new SimulationModeException(
            "x-simulation-mode: parameter '" + part + "' must have the form name=value");
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      if (!PARAMETERS.contains(name)) {
        throw new SimulationModeException(
            "x-simulation-mode: unknown parameter '" + name + "'; expected one of "
                + String.join(", ", PARAMETERS.stream().sorted().toList()));
      }
      if (value.isEmpty()) {
        throw new SimulationModeException(
            "x-simulation-mode: parameter '" + name + "' has an empty value");
      }
      if (params.put(name, value) != null) {
        throw new SimulationModeException(
            "x-simulation-mode: parameter '" + name + "' given twice");
      }
    }
    return new SimulationMode(mode, params);
  }

  /** The value of a parameter, or null. */
  public String param(String name) {
    return params.get(name);
  }

  /** The {@code seed} parameter, or null; throws naming the token when it is not an integer. */
  public Long seed() {
    String value = params.get("seed");
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new SimulationModeException(
          "x-simulation-mode: seed must be an integer; got '" + value + "'");
    }
  }

  /** The {@code speed} parameter, or null; throws naming the token when malformed. */
  public Speed speed() {
    String value = params.get("speed");
    if (value == null) {
      return null;
    }
    try {
      return Speed.parse(value);
    } catch (IllegalArgumentException e) {
      throw new SimulationModeException("x-simulation-mode: " + e.getMessage());
    }
  }
}
