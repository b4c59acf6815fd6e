package io.llmsim.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command, {@code llmsim}: global options and the list of subcommands. */
@Command(
    name = "llmsim",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = false,
    synopsisSubcommandLabel = "COMMAND",
    description = "Simulates LLM provider APIs (OpenAI, Anthropic, Gemini) for tests: "
        + "realistic streaming latency, generated answers, injected faults.",
    subcommands = {ServeCommand.class, RecordCommand.class, ReplayCommand.class,
        FixturesCommand.class, ProfileCommand.class, LoadCommand.class, ValidateCommand.class},
    footer = {"", "Run 'llmsim COMMAND --help' for the options of a command."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "1:runtime failure (such as a port already in use)",
      "2:usage or configuration error"
    })
public final class LlmSimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // Read by Main's exception handler from the parse result; the field only makes picocli accept
  // the option on every subcommand.
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      order = 100,
      description = "On failure, print the stack trace; log at debug level.")
  boolean verbose;

  private final Map<String, String> env;

  /** A command reading the process environment. */
  public LlmSimCommand() {
    this(System.getenv());
  }

  /** A command reading {@code env} instead of the process environment, for tests. */
  public LlmSimCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Map<String, String> env() {
    return env;
  }

  /** {@code llmsim} alone: show what it can do, and fail, since nothing was asked for. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
