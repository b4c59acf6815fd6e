package io.llmsim.core.api;

import io.llmsim.core.error.ApiError;
import io.llmsim.core.error.ApiException;
import io.llmsim.core.fault.Fault;
import io.llmsim.core.mode.Mode;
import io.llmsim.core.mode.SimulationMode;
import io.llmsim.core.mode.SimulationModeException;
import io.llmsim.core.synth.RequestOptions;
import java.util.Set;

/**
 * Turns a request's {@code x-simulation-mode} header into the options of this request. This build
 * synthesizes only: the other modes and the replay parameters ({@code take}, {@code on-miss})
 * answer a clear 400 until their issues land, rather than being silently ignored.
 */
public final class ModeResolver {
  private static final Set<String> AVAILABLE_PARAMETERS = Set.of(
      "seed", "profile", "speed", "fault", "fault-rate", "after", "retry-after", "hang");

  private ModeResolver() {}

  /** The options for a request; {@code header} may be null. */
  public static RequestOptions resolve(String header) {
    if (header == null) {
      return RequestOptions.NONE;
    }
    try {
      SimulationMode mode = SimulationMode.parse(header);
      if (mode.mode() != Mode.SYNTHESIZE) {
        throw bad(
            "x-simulation-mode: mode '" + mode.mode().token()
                + "' is not available on this server; it synthesizes only");
      }
      for (String name : mode.params().keySet()) {
        if (!AVAILABLE_PARAMETERS.contains(name)) {
          throw bad(
              "x-simulation-mode: parameter '" + name + "' is not available on this server;"
                  + " available: " + String.join(", ",
                      AVAILABLE_PARAMETERS.stream().sorted().toList()));
        }
      }
      return new RequestOptions(mode.param("profile"), mode.seed(), mode.speed(),
          Fault.from(mode));
    } catch (SimulationModeException e) {
      throw bad(e.getMessage());
    }
  }

  private static ApiException bad(String message) {
    return new ApiException(
        new ApiError(ApiError.Kind.INVALID_REQUEST, 400, null, "invalid_simulation_mode",
            SimulationMode.HEADER, message));
  }
}
