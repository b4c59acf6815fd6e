package io.llmsim.cli;

import java.util.List;

/**
 * Bad configuration: a flag, environment variable or config file value that cannot be used. Each
 * problem is one line naming where the value came from. Exits with status 2.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a config exception needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, such as {@code config.yaml: unknown key 'prot'}. */
  public List<String> problems() {
    return problems;
  }
}
