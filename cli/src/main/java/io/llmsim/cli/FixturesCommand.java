package io.llmsim.cli;

import io.llmsim.store.fixtures.FixtureFormatException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures}: the parent of the commands that move exchanges to and from sets. */
@Command(
    name = "fixtures",
    sortOptions = false,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Move recorded exchanges between a store and fixture sets.",
      "",
      "Fixture sets are plain, reviewable directories of JSON that teams commit and",
      "share (docs/fixture-format.md)."
    },
    subcommands = {
      FixturesExportCommand.class,
      FixturesImportCommand.class,
      FixturesListCommand.class,
      FixturesShowCommand.class,
      FixturesVerifyCommand.class,
      FixturesRmCommand.class,
      FixturesRedactCommand.class
    },
    footer = {"", "Run 'llmsim fixtures COMMAND --help' for the options of a command."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "1:runtime failure (a broken set, a failed check, a store in use)",
      "2:usage error"
    })
final class FixturesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** {@code llmsim fixtures} alone: list the subcommands, and fail, since nothing was asked. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** A broken set as a one-line failure that points at {@code verify} for the full list. */
  static CliException broken(FixtureFormatException e) {
    String hint = e.problems().size() > 1
        ? "; run 'llmsim fixtures verify' on the set for every problem" : "";
    return new CliException(e.getMessage() + hint, e);
  }
}
