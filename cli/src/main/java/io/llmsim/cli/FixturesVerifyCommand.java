package io.llmsim.cli;

import io.llmsim.store.fixtures.FixtureSets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures verify PATH...}: checks sets before they are committed or used. */
@Command(
    name = "verify",
    sortOptions = false,
    description = {
      "Check fixture sets: format, hashes, and no secrets.",
      "",
      "Checks the format and its version, that the exchange files are the ones the",
      "manifest lists with the SHA-256 it gives, that every file reads, and that no",
      "secret-looking value is present (secret headers that are not [redacted],",
      "sk-..., sk-ant-..., AIza... keys, Bearer tokens). Prints 'PATH: ok', or one line",
      "per problem on stderr, each naming its file."
    },
    footer = {"", "Example:", "  llmsim fixtures verify fixtures/*"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every set is intact and clean", "1:a set failed a check",
        "2:usage error"})
final class FixturesVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Fixture set directories.")
  List<Path> sets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean ok = true;
    for (Path set : sets) {
      FixtureSets.VerifyReport r = FixtureSets.verify(set);
      if (r.ok()) {
        out.println(set + ": ok (" + r.set().entries().size() + " exchanges, "
            + r.set().manifest().contentHash() + ")");
        continue;
      }
      ok = false;
      r.problems().forEach(err::println);
      r.secrets().forEach(err::println);
      if (!r.secrets().isEmpty()) {
        err.println(set + ": run 'llmsim fixtures redact " + set
            + "' to remove the secret-looking values");
      }
      int count = r.problems().size() + r.secrets().size();
      err.println(set + ": failed (" + count + (count == 1 ? " problem)" : " problems)"));
    }
    out.flush();
    err.flush();
    return ok ? 0 : 1;
  }
}
