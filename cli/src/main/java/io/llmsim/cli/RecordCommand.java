package io.llmsim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmsim record}: {@code serve --mode record}, the first half of record and replay. */
@Command(
    name = "record",
    sortOptions = false,
    description = {
      "Forward to the real providers and record every exchange.",
      "",
      "Each request goes to its provider's upstream, the answer streams back as it arrives,",
      "and the exchange is stored (every chunk with its arrival time, no secrets) for",
      "replay. Same options as serve; the mode is record."
    },
    footer = {
      "",
      "Examples:",
      "  OPENAI_API_KEY=sk-... llmsim record --store ./recordings",
      "  llmsim record --upstream openai=https://gateway.internal --upstream-proxy http://proxy:3128",
      "  llmsim record --upstream azure=https://my-resource.openai.azure.com --inject-keys"
    })
final class RecordCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand LlmSimCommand parent;
  @Mixin ServeOptions options;

  @Override
  public Integer call() throws InterruptedException {
    return ServeCommand.serveUntilStopped(start());
  }

  /** Starts the recording server; for tests, which stop it by closing. */
  ServeCommand.Running start() {
    if (options.mode != null && !options.mode.equalsIgnoreCase("record")) {
      throw new ParameterException(spec.commandLine(),
          "record always records; use serve --mode " + options.mode);
    }
    options.mode = "record";
    return ServeCommand.start(options, parent.env(), spec.commandLine().getOut());
  }
}
