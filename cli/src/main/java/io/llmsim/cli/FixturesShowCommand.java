package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.RecordedExchange;
import io.llmsim.store.RecordedExchange.Chunk;
import io.llmsim.store.RecordedExchange.Header;
import io.llmsim.store.RecordedExchange.TokenUsage;
import io.llmsim.store.fixtures.FixtureFormatException;
import io.llmsim.store.fixtures.FixtureReader;
import io.llmsim.store.fixtures.FixtureSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures show ID}: one exchange, with its timing as a timeline. */
@Command(
    name = "show",
    sortOptions = false,
    description = {
      "Show one exchange, with its timing as a timeline.",
      "",
      "Reads the set PATH or the store --store DIR. Prints the request, the response",
      "head, and a timeline in milliseconds from sending the request: the headers, then",
      "each chunk with its gap from the previous one, its size and the start of its",
      "text. ID may be a unique prefix of the id."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:runtime failure (a broken set, a store in use)",
        "2:usage error"},
    footer = {
      "",
      "Examples:",
      "  llmsim fixtures show chatcmpl-8x fixtures/chat",
      "  llmsim fixtures show chatcmpl-8x --store db"
    })
final class FixturesShowCommand implements Callable<Integer> {
  private static final int PREVIEW = 72;

  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Parameters(index = "0", paramLabel = "ID", description = "The exchange id, or its prefix.")
  String id;

  @Parameters(index = "1", paramLabel = "PATH", arity = "0..1",
      description = "A fixture set directory.")
  Path set;

  @Option(names = "--store", paramLabel = "DIR", description = "A store instead of a set.")
  Path store;

  @Override
  public Integer call() {
    FixtureSource.requireOne(set, store);
    FixtureSource.Take t = set != null ? fromSet() : fromStore();
    print(spec.commandLine().getOut(), t);
    return 0;
  }

  private FixtureSource.Take fromSet() {
    FixtureSet s;
    try {
      s = FixtureReader.read(set);
    } catch (FixtureFormatException e) {
      throw FixturesCommand.broken(e);
    }
    List<String> candidates = new ArrayList<>();
    for (FixtureSet.Entry en : s.entries()) {
      if (en.exchange().id().equals(id)) {
        candidates = List.of(id);
        break;
      }
      if (en.exchange().id().startsWith(id)) {
        candidates.add(en.exchange().id());
      }
    }
    String only = unique(candidates, set.toString());
    FixtureSet.Entry entry = s.entries().stream()
        .filter(en -> en.exchange().id().equals(only)).findFirst().orElseThrow();
    long of = s.entries().stream()
        .filter(en -> en.exchange().fingerprint().equals(entry.exchange().fingerprint())).count();
    return new FixtureSource.Take(entry.exchange(), entry.take(), (int) of);
  }

  private FixtureSource.Take fromStore() {
    try (ExchangeStore db = StoreDirs.openExisting(store)) {
      RecordedExchange e = db.get(id).orElse(null);
      if (e == null) {
        List<String> candidates = new ArrayList<>();
        db.forEach(x -> {
          if (x.id().startsWith(id)) {
            candidates.add(x.id());
          }
        });
        e = db.get(unique(candidates, store.toString())).orElseThrow();
      }
      List<String> takes = db.takes(e.fingerprint()).stream().map(RecordedExchange::id).toList();
      return new FixtureSource.Take(e, takes.indexOf(e.id()) + 1, takes.size());
    }
  }

  private String unique(List<String> candidates, String where) {
    if (candidates.isEmpty()) {
      throw new CliException("no exchange with id " + id + " in " + where, null);
    }
    if (candidates.size() > 1) {
      List<String> some = candidates.stream().sorted().limit(5).toList();
      throw new CliException("id prefix " + id + " matches " + candidates.size()
          + " exchanges in " + where + ": " + String.join(", ", some)
          + (candidates.size() > 5 ? ", …" : ""), null);
    }
    return candidates.get(0);
  }

  static void print(PrintWriter out, FixtureSource.Take t) {
    RecordedExchange e = t.exchange();
    out.println(e.id() + "  " + e.provider() + " " + e.endpoint()
        + (e.model() == null ? "" : "  " + e.model()) + "  (take " + t.take() + " of " + t.of()
        + ")");
    out.println("fingerprint  " + e.fingerprint());
    out.println("recorded     " + FixtureText.time(e.recordedAtMillis())
        + (e.complete() ? ", complete" : ", cut short"));
    if (!e.tags().isEmpty()) {
      out.println("tags         " + String.join(", ", e.tags()));
    }
    TokenUsage u = e.usage();
    if (u != null) {
      out.println("usage        " + (u.inputTokens() == null ? "?" : u.inputTokens()) + " in, "
          + (u.outputTokens() == null ? "?" : u.outputTokens()) + " out");
    }
    out.println();
    RecordedExchange.Request r = e.request();
    out.println("request  " + r.method() + " " + r.path()
        + (r.query().isEmpty() ? "" : "?" + r.query()) + "  (" + FixtureText.size(r.bodyLength())
        + ")");
    headers(out, r.headers());
    out.println("  " + FixtureText.preview(r.body(), PREVIEW));
    out.println();
    out.println("response " + e.status() + "  (" + FixtureText.size(e.bodyLength()) + " in "
        + e.chunks().size() + (e.chunks().size() == 1 ? " chunk)" : " chunks)"));
    headers(out, e.responseHeaders());
    out.println();

    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ms", "gap", "", "", ""});
    rows.add(new String[] {FixtureText.millis(0), "", "request", "",
        r.method() + " " + r.path()});
    rows.add(new String[] {FixtureText.millis(e.timeToHeadersMicros()),
        "+" + FixtureText.millis(e.timeToHeadersMicros()), "headers", "",
        "status " + e.status()});
    long previous = e.timeToHeadersMicros();
    int n = 0;
    for (Chunk c : e.chunks()) {
      n++;
      rows.add(new String[] {FixtureText.millis(c.offsetMicros()),
          "+" + FixtureText.millis(c.offsetMicros() - previous), "chunk " + n,
          FixtureText.size(c.length()), FixtureText.preview(c.bytes(), PREVIEW)});
      previous = c.offsetMicros();
    }
    rows.add(new String[] {FixtureText.millis(previous), "", "end", "",
        e.complete() ? "complete" : "cut short"});
    out.println("timeline");
    for (String line : FixtureText.table(rightAligned(rows))) {
      out.println("  " + line);
    }
    out.flush();
  }

  private static void headers(PrintWriter out, List<Header> headers) {
    headers.forEach(h -> out.println("  " + h.name() + ": " + h.value()));
  }

  // Times, gaps and sizes read best right-aligned; the table pads on the right, so pad here.
  private static List<String[]> rightAligned(List<String[]> rows) {
    int[] numeric = {0, 1, 3};
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c : numeric) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    List<String[]> out = new ArrayList<>(rows.size());
    for (String[] row : rows) {
      String[] copy = row.clone();
      for (int c : numeric) {
        copy[c] = " ".repeat(widths[c] - row[c].length()) + row[c];
      }
      out.add(copy);
    }
    return out;
  }
}
