package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
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

/** {@code llmsim fixtures rm ID... --store DIR}: deletes exchanges from a store. */
@Command(
    name = "rm",
    sortOptions = false,
    description = {
      "Delete exchanges from a store.",
      "",
      "Takes exact ids (see 'llmsim fixtures list --store DIR'). To drop an exchange",
      "from a set, delete it from a store and export again."
    },
    footer = {"", "Example:", "  llmsim fixtures rm chatcmpl-8x chatcmpl-8y --store db"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every id was deleted", "1:an id was not in the store",
        "2:usage error"})
final class FixturesRmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "Exchange ids.")
  List<String> ids;

  @Option(names = "--store", paramLabel = "DIR", required = true,
      description = "The store to delete from.")
  Path store;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int removed = 0;
    try (ExchangeStore db = StoreDirs.openExisting(store)) {
      for (String id : ids) {
        if (db.delete(id)) {
          removed++;
          out.println("removed " + id);
        } else {
          err.println("llmsim: no exchange with id " + id + " in " + store);
        }
      }
    }
    out.println("removed " + removed + " of " + ids.size());
    out.flush();
    err.flush();
    return removed == ids.size() ? 0 : 1;
  }
}
