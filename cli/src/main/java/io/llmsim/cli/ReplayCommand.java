package io.llmsim.cli;

import io.llmsim.proxy.replay.StrictReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code llmsim replay}: {@code serve} with replay as the default mode, so a store is required.
 * With {@code --strict} the run ends with the strict report, and its exit status says whether
 * every request matched and every recording was used: the check a CI job wants.
 */
@Command(
    name = "replay",
    sortOptions = false,
    description = {
      "Serve recorded exchanges from a store or fixture sets, at the recorded pace or --speed.",
      "",
      "Byte for byte, chunk by chunk, until stopped (Ctrl-C or SIGTERM). Takes the",
      "options of serve; the mode defaults to replay.",
      "",
      "Each setting is taken from the first of: its flag, its LLMSIM_* environment",
      "variable, the --config file, the default."
    },
    footer = {
      "",
      "Examples:",
      "  llmsim replay --store ./recordings --speed max",
      "  llmsim replay --fixtures fixtures/openai-chat --speed max",
      "  llmsim replay --store ./recordings --strict --on-miss error",
      "  llmsim replay --store ./recordings --on-miss synthesize --speed 2x"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:stopped normally (with --strict: and the run was clean)",
      "1:runtime failure (such as the port already in use)",
      "2:usage or configuration error",
      "3:with --strict: a request had no recording, or a recording was never used"
    })
final class ReplayCommand implements Callable<Integer> {
  /** The status of a strict run that left something unmatched. */
  static final int UNMATCHED = 3;

  @Spec CommandSpec spec;
  @ParentCommand LlmSimCommand parent;
  @Mixin ServeOptions options;

  @Override
  public Integer call() throws InterruptedException {
    // The hook is registered before the server starts: a stop that comes while start-up is
    // still printing its line must still close the server and report.
    CountDownLatch startAttempted = new CountDownLatch(1);
    AtomicReference<ServeCommand.Running> started = new AtomicReference<>();
    int[] status = {0};
    Thread hook = new Thread(() -> {
      try {
        startAttempted.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ServeCommand.Running running = started.get();
      if (running == null) {
        return;
      }
      status[0] = finish(running);
      if (running.server().config().modes().replay().strict()) {
        // A stop by signal would end the JVM with the signal's status (143, 130); a CI job
        // needs the report's.
        Runtime.getRuntime().halt(status[0]);
      }
    }, "llmsim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      started.set(start());
    } catch (RuntimeException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException stopping) {
        // already shutting down: the hook finds nothing started and returns
      }
      throw e;
    } finally {
      startAttempted.countDown();
    }
    started.get().awaitStopped();
    return status[0];
  }

  /** Starts the server in replay mode (unless {@code --mode} says otherwise). */
  ServeCommand.Running start() {
    if (options.mode == null) {
      options.mode = "replay";
    }
    return ServeCommand.start(options, parent.env(), spec.commandLine().getOut());
  }

  /**
   * Stops the server and, in strict mode, prints the report; returns the exit status: 0, or
   * {@link #UNMATCHED} when a strict run was not clean.
   */
  int finish(ServeCommand.Running running) {
    running.close();
    StrictReport report = running.server().strictReport();
    if (report == null) {
      return 0;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(report.summary());
    out.flush();
    return report.isClean() ? 0 : UNMATCHED;
  }
}
