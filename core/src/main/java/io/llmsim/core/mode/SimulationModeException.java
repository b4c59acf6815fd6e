package io.llmsim.core.mode;

/** A malformed {@code x-simulation-mode} header; the message names the bad token. */
public final class SimulationModeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SimulationModeException(String message) {
    super(message);
  }
}
