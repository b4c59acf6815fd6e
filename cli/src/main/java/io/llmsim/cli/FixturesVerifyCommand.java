package io.llmsim.cli;

import io.llmsim.proxy.upstream.Upstream;
import io.llmsim.proxy.upstream.UpstreamSettings;
import io.llmsim.store.fixtures.FixtureSets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
      "sk-..., sk-ant-..., AIza... keys, Bearer tokens, Basic credentials), also",
      "percent-encoded, behind JSON escapes or in a gzip, deflate or br body.",
      "Prints 'PATH: ok', or one line per problem on stderr, each naming its file.",
      "",
      "With --against-upstream, also re-sends each recorded request to the upstream",
      "(keys from OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY,",
      "AZURE_OPENAI_API_KEY) and reports what changed in the answer's shape: status,",
      "finish reason, tool calls, JSON fields present, stream event types. Not the text."
    },
    footer = {"", "Examples:", "  llmsim fixtures verify fixtures/*",
        "  llmsim fixtures verify fixtures/openai-chat --against-upstream",
        "  llmsim fixtures verify ./set --against-upstream --upstream http://gateway:8080"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every set is intact and clean (and nothing drifted)",
        "1:a set failed a check", "2:usage error",
        "4:with --against-upstream: an answer's shape drifted, the upstream could not be "
            + "asked, or a recorded path was refused (it could lead off the upstream)"})
final class FixturesVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand FixturesCommand parent;

  /** The status when an answer's shape drifted from its recording. */
  static final int DRIFTED = 4;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Fixture set directories.")
  List<Path> sets;

  @Option(names = "--against-upstream", description = "Re-send every recorded request to the "
      + "upstream and report answers whose shape changed.")
  boolean againstUpstream;

  @Option(names = "--upstream", paramLabel = "[PROVIDER=]URL", split = ",", description = {
      "With --against-upstream: where to send, as for serve (default: each provider's public "
          + "API). Env: LLMSIM_UPSTREAMS."})
  List<String> upstreams = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", description = "With "
      + "--against-upstream: the longest one answer may take. Default: 5m.")
  String timeout = "5m";

  @Override
  public Integer call() throws InterruptedException {
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
    if (!ok) {
      return 1;
    }
    return againstUpstream ? drift(out, err) : 0;
  }

  /** Re-sends every set's requests; the status: 0, or {@link #DRIFTED}. */
  private int drift(PrintWriter out, PrintWriter err) throws InterruptedException {
    Map<String, String> env = ((LlmSimCommand) spec.root().userObject()).env();
    List<String> entries = upstreams.isEmpty() && env.get("LLMSIM_UPSTREAMS") != null
        ? List.of(env.get("LLMSIM_UPSTREAMS").split(",")) : upstreams;
    Map<String, Upstream> targets;
    Duration limit;
    try {
      targets = UpstreamSettings.withDefaults(ForwardingConfig.upstreams(entries));
      limit = Units.parseDuration(timeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    UpstreamDrift drift = new UpstreamDrift(targets, UpstreamSettings.keysFrom(env), limit);
    int drifted = 0;
    int checked = 0;
    for (Path set : sets) {
      for (UpstreamDrift.Result r : drift.check(FixtureSets.readAll(List.of(set)).get(0))) {
        checked++;
        if (r.clean()) {
          continue;
        }
        drifted++;
        String where = set.resolve(r.file()).toString();
        if (r.failure() != null) {
          err.println(where + ": not checked: " + r.failure());
        } else {
          err.println(where + ": drifted: " + String.join("; ", r.drift()));
        }
      }
    }
    String summary = checked + (checked == 1 ? " exchange" : " exchanges") + " re-sent, "
        + (drifted == 0 ? "no drift" : drifted + " drifted or not checked");
    (drifted == 0 ? out : err).println(summary);
    out.flush();
    err.flush();
    return drifted == 0 ? 0 : DRIFTED;
  }
}
