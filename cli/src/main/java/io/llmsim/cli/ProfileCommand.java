package io.llmsim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code llmsim profile}: the latency-profile commands. Alone, it lists them and fails. */
@Command(
    name = "profile",
    synopsisSubcommandLabel = "COMMAND",
    description = "Fit latency profiles from recorded exchanges, and show them.",
    subcommands = {ProfileFitCommand.class, ProfileShowCommand.class})
final class ProfileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
