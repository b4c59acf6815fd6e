package io.llmsim.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmsim.core.latency.Distribution;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.latency.ProfileCatalog;
import io.llmsim.core.latency.fit.ExchangeSample;
import io.llmsim.core.latency.fit.ProfilesFileWriter;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.profile.Grouping;
import io.llmsim.store.profile.RecordingFit;
import io.llmsim.store.profile.RecordingFitter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code llmsim profile show FILE | --store DIR}: a table per profile (parameters, quantiles, fit
 * quality) and histograms of TTFT and ITL. From a file, the histograms are the fitted
 * distributions'; from a store, they are the recorded values', next to a fit made on the spot.
 */
@Command(
    name = "show",
    sortOptions = false,
    description = {
      "Show latency profiles: per profile, a table of each part's distribution, its",
      "p50/p90/p99, the recorded p50/p90/p99 and the fit quality (when known), then",
      "histograms of TTFT and of the gaps between chunks (ITL).",
      "FILE is a profiles file (as 'profile fit' writes); with --store, profiles are",
      "fitted on the spot and the histograms show the recorded values."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:shown", "1:the store could not be read", "2:usage error or a bad file"})
final class ProfileShowCommand implements Callable<Integer> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final String[] PARTS = {"ttft", "itl", "tokens-per-chunk", "output-tokens"};

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Parameters(paramLabel = "FILE", description = "A profiles file.")
    Path file;

    @Option(names = "--store", paramLabel = "DIR", description = "A store of recorded exchanges.")
    Path store;
  }

  @Option(names = "--by", paramLabel = "model|endpoint", converter = GroupingConverter.class,
      defaultValue = "model",
      description = "With --store: group by model or by provider/endpoint/model. "
          + "Default: ${DEFAULT-VALUE}.")
  Grouping by;

  @Option(names = "--min-samples", paramLabel = "N", defaultValue = "10",
      description = "With --store: leave out smaller groups. Default: ${DEFAULT-VALUE}.")
  int minSamples;

  @Override
  public Integer call() {
    if (minSamples < 2) {
      throw new ParameterException(spec.commandLine(),
          "--min-samples: must be at least 2, got " + minSamples);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (source.file != null) {
      showFile(out, source.file);
    } else {
      showStore(out, source.store);
    }
    out.flush();
    return 0;
  }

  private void showFile(PrintWriter out, Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      String why = e instanceof NoSuchFileException || !file.toFile().exists()
          ? "no such file" : e.getMessage();
      throw new ConfigException(List.of(file + ": " + why));
    }
    ProfileCatalog catalog;
    try {
      catalog = ProfileCatalog.builtIn().with(root);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          List.of(file + ": " + String.valueOf(e.getMessage()).replaceFirst("^profiles file: ", "")));
    }
    boolean first = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("profiles").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      LatencyProfile profile = catalog.require(entry.getKey());
      if (!first) {
        out.println();
      }
      first = false;
      table(out, profile, entry.getValue().path(LatencyProfile.FIT_METADATA_KEY));
      histogram(out, "TTFT, ms (fitted, before the prefill term)",
          TerminalHistogram.ofDistribution(profile.ttft()));
      histogram(out, "ITL, ms (fitted)", TerminalHistogram.ofDistribution(profile.itl()));
    }
    if (first) {
      out.println(file + ": no profiles");
    }
  }

  private void showStore(PrintWriter out, Path store) {
    RecordingFit fit;
    try (ExchangeStore exchanges = StoreDirs.openExisting(store)) {
      fit = RecordingFitter.fit(exchanges, by, minSamples);
    }
    if (fit.fits().isEmpty()) {
      out.println(store + ": " + fit.read() + " exchanges read, no group with " + minSamples
          + " usable exchanges");
      return;
    }
    // Through the file form, so a store and a file show the same numbers the same way.
    JsonNode root;
    try {
      root = YAML.readTree(ProfilesFileWriter.write(List.of(), fit.fits(), Map.of()));
    } catch (IOException e) {
      throw new IllegalStateException("the profiles writer produced unreadable YAML", e);
    }
    for (int i = 0; i < fit.fits().size(); i++) {
      LatencyProfile profile = fit.fits().get(i).profile();
      if (i > 0) {
        out.println();
      }
      table(out, profile, root.path("profiles").path(profile.name()).path("fit"));
      List<ExchangeSample> samples = fit.samples().get(profile.name());
      histogram(out, "TTFT, ms (recorded)", TerminalHistogram.ofSamples(
          samples.stream().mapToDouble(ExchangeSample::ttftMs).toArray()));
      histogram(out, "ITL, ms (recorded)", TerminalHistogram.ofSamples(
          samples.stream().flatMapToDouble(s -> Arrays.stream(s.gapsMs())).toArray()));
    }
  }

  private static void table(PrintWriter out, LatencyProfile profile, JsonNode fit) {
    String exchanges = fit.has("exchanges") ? " (" + fit.get("exchanges").asText() + " exchanges)" : "";
    out.println(profile.name() + exchanges);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"part", "distribution", "p50", "p90", "p99", "recorded p50/p90/p99",
        "KS", "flags"});
    Distribution[] parts = {
      profile.ttft(), profile.itl(), profile.tokensPerChunk(), profile.outputTokens()
    };
    for (int i = 0; i < PARTS.length; i++) {
      Distribution d = parts[i];
      JsonNode meta = fit.path(PARTS[i]);
      List<String> flags = new ArrayList<>();
      meta.path("flags").forEach(f -> flags.add(f.asText()));
      rows.add(new String[] {
        PARTS[i], describe(d), display(d.quantile(0.5)), display(d.quantile(0.9)),
        display(d.quantile(0.99)), recorded(meta.path("observed")),
        meta.path("ks").isNumber() ? String.format(Locale.ROOT, "%.3f", meta.get("ks").asDouble())
            : "-",
        String.join(", ", flags)
      });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int c = 0; c < row.length; c++) {
        boolean numeric = c >= 2 && c <= 4;
        String cell = numeric ? pad(row[c], widths[c], true) : pad(row[c], widths[c], false);
        line.append(cell).append(c == row.length - 1 ? "" : "  ");
      }
      out.println(line.toString().stripTrailing());
    }
    StringBuilder notes = new StringBuilder("  prefill: ")
        .append(display(profile.prefillMsPerKiloToken())).append(" ms per 1k prompt tokens");
    JsonNode speed = fit.path("output-tokens-per-second");
    if (speed.path("p50").isNumber()) {
      notes.append("; recorded output speed p50 ").append(display(speed.get("p50").asDouble()))
          .append(" tokens/s");
    }
    out.println(notes);
  }

  private static void histogram(PrintWriter out, String title, List<String> lines) {
    out.println();
    out.println("  " + title);
    lines.forEach(out::println);
  }

  /** {@code lognormal mu=6.1684 sigma=0.5}; empirical distributions by their number of points. */
  static String describe(Distribution d) {
    if (d instanceof Distribution.Empirical e) {
      return "empirical (" + e.probabilities().length + " quantiles)";
    }
    JsonNode json = d.toJson();
    StringBuilder sb = new StringBuilder(json.get("type").asText());
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals("type")) {
        sb.append(' ').append(field.getKey()).append('=')
            .append(ProfilesFileWriter.number(field.getValue().asDouble()));
      }
    }
    return sb.toString();
  }

  private static String recorded(JsonNode observed) {
    if (!observed.path("p50").isNumber()) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    for (String q : new String[] {"p50", "p90", "p99"}) {
      parts.add(display(observed.path(q).asDouble(Double.NaN)));
    }
    return String.join("/", parts);
  }

  private static String display(double x) {
    return ProfilesFileWriter.display(x);
  }

  private static String pad(String s, int width, boolean right) {
    String space = " ".repeat(Math.max(0, width - s.length()));
    return right ? space + s : s + space;
  }
}
