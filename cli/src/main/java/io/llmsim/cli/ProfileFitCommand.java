package io.llmsim.cli;

import io.llmsim.core.latency.fit.DistributionFit;
import io.llmsim.core.latency.fit.FitFlag;
import io.llmsim.core.latency.fit.ProfileFit;
import io.llmsim.core.latency.fit.ProfilesFileWriter;
import io.llmsim.store.ExchangeStore;
import io.llmsim.store.profile.Grouping;
import io.llmsim.store.profile.RecordingFit;
import io.llmsim.store.profile.RecordingFitter;
import io.llmsim.store.profile.SampleExtractor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llmsim profile fit}: fits latency profiles to a store's recordings, writes a profiles file. */
@Command(
    name = "fit",
    sortOptions = false,
    description = {
      "Fit a latency profile per model (or per provider/endpoint/model) to the complete,",
      "streamed, status-200 exchanges of a store or fixture sets, and write them as a",
      "profiles file for 'serve --profiles FILE'. TTFT, gaps and answer lengths get the",
      "best of lognormal,",
      "gamma and normal by maximum likelihood and AIC (the empirical quantiles when none",
      "fits); the prefill slope comes from a Theil-Sen regression of TTFT on prompt size.",
      "Each profile carries its fit quality in comments and in a 'fit' block."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:profiles written",
      "1:the store could not be read, or no group had enough samples",
      "2:usage error"
    })
final class ProfileFitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1", order = 1)
  RecordingSource source;

  @Option(names = "--by", paramLabel = "model|endpoint", order = 2,
      converter = GroupingConverter.class, defaultValue = "model",
      description = {
        "One profile per model, or per provider/endpoint/model (named like",
        "openai/chat.completions/gpt-4o). Default: ${DEFAULT-VALUE}."})
  Grouping by;

  @Option(names = "--min-samples", paramLabel = "N", order = 3, defaultValue = "10",
      description = {
        "Leave out groups with fewer usable exchanges than this (at least 2).",
        "Fits from fewer than 30 values are flagged few-samples. Default: ${DEFAULT-VALUE}."})
  int minSamples;

  @Option(names = "--out", paramLabel = "FILE", required = true, order = 4,
      description = "Where to write the profiles file (YAML); replaced if it exists.")
  Path out;

  @Override
  public Integer call() {
    if (minSamples < 2) {
      throw new ParameterException(spec.commandLine(),
          "--min-samples: must be at least 2, got " + minSamples);
    }
    RecordingFit fit;
    try (ExchangeStore exchanges = source.open()) {
      fit = RecordingFitter.fit(exchanges, by, minSamples);
    }
    if (fit.fits().isEmpty()) {
      throw new CliException("nothing to fit: " + account(fit) + "; no group has "
          + minSamples + " usable exchanges (see --min-samples)", null);
    }
    String yaml = ProfilesFileWriter.write(header(fit), fit.fits(), fit.models());
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot write '" + out + "': " + e.getMessage(), e);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    for (ProfileFit f : fit.fits()) {
      stdout.println(f.profile().name() + ": " + f.exchanges() + " exchanges; "
          + part("ttft", f.ttft()) + ", " + part("itl", f.itl()) + ", "
          + part("output-tokens", f.outputTokens()));
    }
    stdout.println("wrote " + fit.fits().size() + " profile" + (fit.fits().size() == 1 ? "" : "s")
        + " to " + out + " (" + account(fit) + ")");
    stdout.flush();
    return 0;
  }

  private List<String> header(RecordingFit fit) {
    List<String> lines = new ArrayList<>();
    lines.add("Latency profiles fitted by 'llmsim profile fit' from the recordings in "
        + source.describe() + ".");
    lines.add("Grouped by " + by.label() + "; " + account(fit) + ".");
    if (!fit.tooFew().isEmpty()) {
      List<String> left = new ArrayList<>();
      fit.tooFew().forEach((name, n) -> left.add(name + " (" + n + ")"));
      lines.add("Left out, fewer than " + minSamples + " usable exchanges: "
          + String.join(", ", left) + ".");
    }
    lines.add("Use with: llmsim serve --profiles FILE, or the header x-simulation-mode: "
        + "synthesize; profile=NAME.");
    return lines;
  }

  private static String account(RecordingFit fit) {
    StringBuilder sb = new StringBuilder();
    sb.append(fit.read()).append(" exchanges read, ").append(fit.used()).append(" used");
    List<String> skipped = new ArrayList<>();
    for (SampleExtractor.Skip why : SampleExtractor.Skip.values()) {
      Integer n = fit.skipped().get(why);
      if (n != null) {
        skipped.add(n + " " + why.label());
      }
    }
    if (!skipped.isEmpty()) {
      sb.append(", skipped ").append(String.join(", ", skipped));
    }
    return sb.toString();
  }

  private static String part(String name, DistributionFit fit) {
    String flags = fit.flags().isEmpty() ? "" : " " + fit.flags().stream()
        .map(FitFlag::label).sorted().toList();
    return name + " " + fit.chosen().family() + " (KS "
        + String.format(Locale.ROOT, "%.3f", fit.chosen().ks()) + ")" + flags;
  }
}
