package io.llmsim.core.api;

import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.fault.Fault;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.mode.SimulationModeException;
import io.llmsim.core.synth.RequestOptions;
import java.util.List;

/**
 * Turns a request's {@code x-simulation-mode} header into the options of this request. Whether the
 * server offers the mode the header names (an upstream for record, a store for replay) is decided
 * by the server, which knows; this checks the grammar and the values.
 */
public final class ModeResolver {
  /** The {@code on-miss} values, in the order the docs give them. */
  public static final List<String> ON_MISS = List.of("error", "synthesize", "passthrough", "record");

  private ModeResolver() {}

  /** The options for a request; {@code header} may be null. */
  public static RequestOptions resolve(String header) {
    if (header == null) {
      return RequestOptions.NONE;
    }
    try {
      SimulationMode mode = SimulationMode.parse(header);
      Integer take = take(mode);
      String onMiss = mode.param("on-miss");
      if (onMiss != null && !ON_MISS.contains(onMiss)) {
        throw bad("x-simulation-mode: unknown on-miss '" + onMiss + "'; expected one of "
            + String.join(", ", ON_MISS));
      }
      if ((take != null || onMiss != null) && mode.mode() != Mode.REPLAY) {
        throw bad("x-simulation-mode: parameter '" + (take != null ? "take" : "on-miss")
            + "' applies to mode replay only");
      }
      return new RequestOptions(mode.param("profile"), mode.seed(), mode.speed(),
          Fault.from(mode), mode.mode(), take, onMiss);
    } catch (SimulationModeException e) {
      throw bad(e.getMessage());
    }
  }

  private static Integer take(SimulationMode mode) {
    String value = mode.param("take");
    if (value == null) {
      return null;
    }
    try {
      int take = Integer.parseInt(value);
      if (take >= 1) {
        return take;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw bad("x-simulation-mode: take must be a whole number from 1; got '" + value + "'");
  }

  /** A 400 naming the problem with the header, in the error shape of the endpoint. */
  public static ApiException bad(String message) {
    return new ApiException(
        new ApiError(ApiError.Kind.INVALID_REQUEST, 400, null, "invalid_simulation_mode",
            SimulationMode.HEADER, message));
  }
}
