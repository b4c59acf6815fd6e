package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.fixtures.ConflictPolicy;
import io.llmsim.store.fixtures.FixtureFormatException;
import io.llmsim.store.fixtures.FixtureSet;
import io.llmsim.store.fixtures.FixtureSets;
import io.llmsim.store.fixtures.ImportReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures import}: merges sets into a store. */
@Command(
    name = "import",
    sortOptions = false,
    description = {
      "Read fixture sets into a store.",
      "",
      "The store is created if missing.",
      "Every set is checked first (format version, hashes); if one is broken nothing is",
      "imported. A conflict is an exchange whose id is already in the store:",
      "  keep      keep the stored one, skip the imported one (default)",
      "  replace   overwrite the stored one",
      "  add-take  store the imported one under a new id (ID~2, ...), as another take of",
      "            its request; one whose request already has a take with the same",
      "            response bytes is a duplicate and is skipped"
    },
    footer = {
      "",
      "Examples:",
      "  llmsim fixtures import fixtures/chat --store db",
      "  llmsim fixtures import team-a/ team-b/ --store db --on-conflict add-take"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:runtime failure (a broken set, a store in use)",
        "2:usage error"})
final class FixturesImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Fixture set directories.")
  List<Path> sets;

  @Option(names = "--store", paramLabel = "DIR", required = true,
      description = "The store to import into.")
  Path store;

  @Option(names = "--on-conflict", paramLabel = "POLICY", defaultValue = "keep",
      description = "keep, replace or add-take. Default: ${DEFAULT-VALUE}.")
  String onConflict;

  @Override
  public Integer call() {
    ConflictPolicy policy;
    try {
      policy = ConflictPolicy.fromCliName(onConflict);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("--on-conflict: " + e.getMessage()));
    }
    List<FixtureSet> loaded;
    try {
      // Before the store is opened, so a broken set does not leave an empty store behind.
      loaded = FixtureSets.readAll(sets);
    } catch (FixtureFormatException e) {
      throw FixturesCommand.broken(e);
    }
    ImportReport r;
    try (ExchangeStore db = StoreDirs.openOrCreate(store);
        ProgressLine progress = ProgressLine.forTerminal(spec.commandLine().getErr(), "importing",
            ((LlmSimCommand) spec.root().userObject()).env())) {
      r = FixtureSets.importSets(db, loaded, policy, progress);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("read " + r.sets() + (r.sets() == 1 ? " set (" : " sets (") + r.total()
        + " exchanges) into " + store + ": " + r.added() + " added"
        + (r.addedAsTakes() > 0 ? " (" + r.addedAsTakes() + " as new takes)" : "") + ", "
        + r.replaced() + " replaced, " + r.skipped() + " skipped");
    out.flush();
    return 0;
  }
}
