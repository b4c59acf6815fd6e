package io.llmsim.cli;

/**
 * A runtime failure whose message is already fit for the user (no class name, no stack trace
 * needed to understand it), such as a port that is taken. Exits with status 1.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
