package io.llmsim.cli;

import io.llmsim.store.RecordedExchange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures list}: a table of the exchanges in a set or a store. */
@Command(
    name = "list",
    sortOptions = false,
    description = {
      "List the exchanges of a fixture set or a store.",
      "",
      "One row per exchange of the set PATH or the store --store DIR, grouped by",
      "provider, endpoint and model. TAKE is its place among the recordings of the same",
      "request; SIZE is the response body."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:runtime failure (a broken set, a store in use)",
        "2:usage error"},
    footer = {
      "",
      "Examples:",
      "  llmsim fixtures list fixtures/chat",
      "  llmsim fixtures list --store ~/.llmsim/store"
    })
final class FixturesListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Parameters(paramLabel = "PATH", arity = "0..1", description = "A fixture set directory.")
  Path set;

  @Option(names = "--store", paramLabel = "DIR", description = "A store instead of a set.")
  Path store;

  @Override
  public Integer call() {
    FixtureSource.requireOne(set, store);
    List<FixtureSource.Take> takes = new ArrayList<>();
    FixtureSource.forEach(set, store, takes::add);
    takes.sort(Comparator.comparing((FixtureSource.Take t) -> t.exchange().provider())
        .thenComparing(t -> t.exchange().endpoint())
        .thenComparing(t -> Objects.requireNonNullElse(t.exchange().model(), ""))
        .thenComparing(t -> t.exchange().fingerprint())
        .thenComparingInt(FixtureSource.Take::take));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "PROVIDER", "ENDPOINT", "MODEL", "TAKE", "STATUS", "SIZE",
        "RECORDED"});
    Set<String> fingerprints = new HashSet<>();
    long bytes = 0;
    for (FixtureSource.Take t : takes) {
      RecordedExchange e = t.exchange();
      fingerprints.add(e.fingerprint());
      bytes += e.bodyLength();
      rows.add(new String[] {e.id(), e.provider(), e.endpoint(),
          e.model() == null ? "-" : e.model(), t.take() + "/" + t.of(),
          e.status() + (e.complete() ? "" : " (cut)"), FixtureText.size(e.bodyLength()),
          FixtureText.time(e.recordedAtMillis())});
    }
    PrintWriter out = spec.commandLine().getOut();
    if (takes.isEmpty()) {
      out.println("no exchanges");
    } else {
      FixtureText.table(rows).forEach(out::println);
      out.println();
      out.println(takes.size() + (takes.size() == 1 ? " exchange, " : " exchanges, ")
          + fingerprints.size() + (fingerprints.size() == 1 ? " request, " : " requests, ")
          + FixtureText.size(bytes) + " of responses");
    }
    out.flush();
    return 0;
  }
}
