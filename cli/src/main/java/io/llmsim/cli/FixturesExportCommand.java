package io.llmsim.cli;

import io.llmsim.store.ExchangeStore;
import io.llmsim.store.fixtures.ExportFilter;
import io.llmsim.store.fixtures.FixtureSets;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim fixtures export}: writes a store's exchanges, or some of them, to a set. */
@Command(
    name = "export",
    sortOptions = false,
    description = {
      "Write exchanges from a store to a fixture set.",
      "",
      "Exporting the same exchanges again gives byte-identical files, so a set in git",
      "changes only where a recording changed. An existing set at --out is replaced:",
      "files of exchanges no longer exported are deleted. Exchanges are redacted on the",
      "way out. Filters combine: an exchange must match each one given; a repeated or",
      "comma-separated filter matches any of its values."
    },
    footer = {
      "",
      "Examples:",
      "  llmsim fixtures export --store db --out fixtures/chat --tag checkout",
      "  llmsim fixtures export --store db --out set --model gpt-4o-mini --since 7d"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:runtime failure (a broken set, a store in use)",
        "2:usage error"})
final class FixturesExportCommand implements Callable<Integer> {
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([dhm])");

  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  @Option(names = "--store", paramLabel = "DIR", required = true,
      description = "The store to export from.")
  Path store;

  @Option(names = "--out", paramLabel = "PATH", required = true,
      description = "The set directory to write (new, empty, or an existing set).")
  Path out;

  @Option(names = "--tag", paramLabel = "T", split = ",",
      description = "Only exchanges with this tag (repeatable: any of them).")
  List<String> tags = List.of();

  @Option(names = "--model", paramLabel = "M", split = ",",
      description = "Only exchanges for this model (repeatable).")
  List<String> models = List.of();

  @Option(names = "--endpoint", paramLabel = "E", split = ",",
      description = "Only this endpoint, such as chat.completions or messages (repeatable).")
  List<String> endpoints = List.of();

  @Option(names = "--since", paramLabel = "TIME",
      description = "Only exchanges recorded at or after TIME: 2025-10-01, "
          + "2025-10-01T12:00:00Z, or a time ago such as 7d, 12h, 30m.")
  String since;

  @Option(names = "--name", paramLabel = "N",
      description = "The set's name in its manifest. Default: the --out directory's name.")
  String name;

  @Option(names = "--description", paramLabel = "D", defaultValue = "",
      description = "A description for the manifest.")
  String description;

  @Override
  public Integer call() {
    Instant from = since == null ? null : parseSince(since, Clock.systemUTC());
    ExportFilter filter = new ExportFilter(Set.copyOf(tags), Set.copyOf(models),
        Set.copyOf(endpoints), from);
    Path outName = out.toAbsolutePath().normalize().getFileName();
    String setName = name != null ? name : outName != null ? outName.toString() : "fixtures";
    PrintWriter stdout = spec.commandLine().getOut();
    FixtureSets.ExportReport report;
    try (ExchangeStore db = StoreDirs.openExisting(store);
        ProgressLine progress = ProgressLine.forTerminal(spec.commandLine().getErr(), "exporting",
            ((LlmSimCommand) spec.root().userObject()).env())) {
      report = FixtureSets.export(db, out, filter, setName, description, progress);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CliException(e.getMessage(), e);
    }
    if (report.exported() == 0) {
      throw new CliException("no exchange in " + store + " matches " + describe(filter)
          + "; nothing written", null);
    }
    stdout.println("exported " + report.exported() + " exchanges (" + report.fingerprints()
        + " distinct requests) to " + out);
    stdout.println("content hash " + report.manifest().contentHash());
    stdout.flush();
    return 0;
  }

  private static String describe(ExportFilter f) {
    Set<String> parts = new LinkedHashSet<>();
    if (!f.tags().isEmpty()) {
      parts.add("--tag " + String.join(",", f.tags()));
    }
    if (!f.models().isEmpty()) {
      parts.add("--model " + String.join(",", f.models()));
    }
    if (!f.endpoints().isEmpty()) {
      parts.add("--endpoint " + String.join(",", f.endpoints()));
    }
    if (f.since() != null) {
      parts.add("--since " + f.since());
    }
    return parts.isEmpty() ? "(the store is empty)" : String.join(" ", parts);
  }

  /** Parses {@code --since}: a date (UTC midnight), an ISO instant, or an amount of time ago. */
  static Instant parseSince(String text, Clock clock) {
    Matcher m = RELATIVE.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration ago = switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofMinutes(n);
      };
      return clock.instant().minus(ago);
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException(List.of("--since: expected a date (2025-10-01), a UTC time "
          + "(2025-10-01T12:00:00Z) or a time ago (7d, 12h, 30m); got '" + text + "'"));
    }
  }
}
