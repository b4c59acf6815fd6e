package io.llmsim.cli;

import io.llmsim.proxy.LlmSimServer;
import io.llmsim.proxy.NettyTransport;
import io.llmsim.proxy.ServerConfig;
import io.llmsim.store.StoreException;
import io.llmsim.store.fixtures.FixtureFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.UnresolvedAddressException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code llmsim serve}: starts the server and runs until SIGTERM or Ctrl-C, then stops gracefully.
 * {@link #start()} is separate from {@link #call()} so a test can start the server in-process,
 * use it, and close it without sending signals.
 */
@Command(
    name = "serve",
    sortOptions = false,
    description = {
      "Start the simulator and serve until stopped (Ctrl-C or SIGTERM).",
      "",
      "Each setting is taken from the first of: its flag, its LLMSIM_* environment",
      "variable, the --config file, the default."
    },
    footer = {
      "",
      "Examples:",
      "  llmsim serve --port 0 --profile fast",
      "  LLMSIM_SPEED=max llmsim serve --generator 'fixed:Hello!' --model my-model",
      "  llmsim serve --config llmsim.yaml"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:stopped normally",
      "1:runtime failure (such as the port already in use)",
      "2:usage or configuration error"
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand LlmSimCommand parent;
  @Mixin ServeOptions options;

  /** A started server; closing it stops the server gracefully and says so. */
  static final class Running implements AutoCloseable {
    private final LlmSimServer server;
    private final PrintWriter out;
    private final String startLine;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Running(LlmSimServer server, PrintWriter out, String startLine) {
      this.server = server;
      this.out = out;
      this.startLine = startLine;
    }

    LlmSimServer server() {
      return server;
    }

    /** The line printed when the server came up. */
    String startLine() {
      return startLine;
    }

    /** Stops the server, letting answers in flight finish within the grace period. */
    @Override
    public synchronized void close() {
      if (stopped.getCount() == 0) {
        return;
      }
      server.close();
      out.println("llmsim stopped");
      out.flush();
      stopped.countDown();
    }

    void awaitStopped() throws InterruptedException {
      stopped.await();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    return serveUntilStopped(start());
  }

  /** Runs until SIGTERM or Ctrl-C. */
  static int serveUntilStopped(Running running) throws InterruptedException {
    // The JVM runs this on SIGTERM / Ctrl-C and waits for it, so in-flight streams get their
    // grace period before the process ends.
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "llmsim-shutdown"));
    running.awaitStopped();
    return 0;
  }

  /** Loads the config, binds, prints the start line; throws on bad config or a failed bind. */
  Running start() {
    return start(options, parent.env(), spec.commandLine().getOut());
  }

  /** Starts a server from serve's options (shared with {@code replay}). */
  static Running start(ServeOptions options, Map<String, String> env, PrintWriter out) {
    ServerConfig config = ConfigLoader.load(options, env);
    LlmSimServer server;
    try {
      server = LlmSimServer.start(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while starting", e);
    } catch (FixtureFormatException e) {
      throw new CliException("fixture set refused: " + e.getMessage(), e);
    } catch (UncheckedIOException | StoreException e) {
      // Building or opening the fixture sets' store; the message names the directory.
      throw new CliException(e.getMessage(), e);
    } catch (UnresolvedAddressException e) {
      throw new CliException("cannot listen on " + config.host() + ": unknown host", e);
    } catch (Exception e) {
      // Netty rethrows the BindException unchecked; its message ("Address already in use") is
      // what the user needs, with the address added.
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CliException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + why, e);
    }
    long startupMillis = millisSinceJvmStart();
    String line = startLine(server, startupMillis);
    out.println(line);
    out.flush();
    return new Running(server, out, line);
  }

  static String startLine(LlmSimServer server, long startupMillis) {
    ServerConfig config = server.config();
    String forced = config.synthesis().forcedProfile();
    return "llmsim listening on " + server.baseUri()
        + " (mode " + config.mode().token()
        + ", profiles: " + (forced == null ? "by model" : forced)
        + ", generator " + config.synthesis().generator()
        + (config.modes().upstreams().isEmpty() ? "" : ", upstreams " + upstreams(config))
        + (config.modes().storeDir() == null ? "" : ", store " + config.modes().storeDir())
        + (config.modes().replay().fixtures().isEmpty() ? ""
            : ", fixtures " + config.modes().replay().fixtures())
        + ", transport " + NettyTransport.name() + ")"
        + " in " + startupMillis + " ms";
  }

  private static String upstreams(ServerConfig config) {
    StringBuilder out = new StringBuilder();
    config.modes().upstreams().upstreams().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> out.append(out.length() == 0 ? "" : " ").append(e.getKey()).append('=')
            .append(e.getValue().baseUri()));
    return out.toString();
  }

  private static long millisSinceJvmStart() {
    long now = System.currentTimeMillis();
    // Read after the bind on purpose: loading the management classes is not part of startup.
    return now - ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
