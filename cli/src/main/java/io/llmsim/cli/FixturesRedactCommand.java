package io.llmsim.cli;

import io.llmsim.store.Redactor;
import io.llmsim.store.fixtures.FixtureFormatException;
import io.llmsim.store.fixtures.FixtureSets;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures redact PATH...}: removes secrets from sets in place. */
@Command(
    name = "redact",
    sortOptions = false,
    description = {
      "Remove secrets from fixture sets in place.",
      "",
      "Applies the current redaction rules: secret headers get the value [redacted],",
      "and key- or token-shaped text anywhere is replaced. Every file is rewritten in",
      "the canonical form and the manifest's hashes are renewed, so files edited by",
      "hand are accepted as they are now (each must still read)."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:runtime failure (a broken set, a store in use)",
        "2:usage error"},
    footer = {"", "Example:", "  llmsim fixtures redact fixtures/chat"})
final class FixturesRedactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Fixture set directories.")
  List<Path> sets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Path set : sets) {
      FixtureSets.RedactReport r;
      try {
        r = FixtureSets.redact(set, Redactor.defaults());
      } catch (FixtureFormatException e) {
        throw FixturesCommand.broken(e);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw new CliException(e.getMessage(), e);
      }
      out.println(set + ": " + r.changed() + " of " + r.exchanges() + " exchanges changed, "
          + r.manifest().contentHash());
      if (r.edited() > 0) {
        out.println(set + ": note: " + r.edited() + (r.edited() == 1 ? " file" : " files")
            + " had changed since the manifest was written; kept as they are now");
      }
    }
    out.flush();
    return 0;
  }
}
