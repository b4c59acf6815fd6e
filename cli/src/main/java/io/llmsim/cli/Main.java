package io.llmsim.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code llmsim}. Exit status: 0 ok, 1 runtime failure, 2 usage or config error.
 * Failures are one line, {@code llmsim: <message>}, on stderr; {@code --verbose} adds the stack
 * trace.
 */
public final class Main {
  private static final String SIMPLE_LOGGER = "org.slf4j.simpleLogger.";
  private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

  private Main() {}

  public static void main(String[] args) {
    // Before anything creates a logger: slf4j-simple reads its settings once, at first use.
    boolean verbose = Arrays.asList(args).contains("--verbose");
    configureLogging(verbose);
    // Netty's default leak detection records a stack trace for one buffer in 128: about 1% of a
    // busy server's CPU. The tests run it on paranoid; -Dio.netty.leakDetection.level=simple
    // turns it back on here.
    if (System.getProperty(LEAK_DETECTION) == null) {
      System.setProperty(LEAK_DETECTION, "disabled");
    }
    int code;
    try {
      code = newCommandLine(new LlmSimCommand()).execute(args);
    } catch (Error e) {
      // picocli hands only Exceptions to the handler; an Error (a class that failed to
      // initialise, out of memory) still deserves the one-line form and exit status 1.
      Throwable cause = e.getCause();
      System.err.println(
          "llmsim: internal error: " + e + (cause == null ? "" : " (caused by " + cause + ")"));
      if (verbose) {
        System.err.print(stackTrace(e));
      } else {
        System.err.println("llmsim: run with --verbose for the stack trace");
      }
      code = ExitCode.SOFTWARE;
    }
    System.exit(code);
  }

  /** The configured command line, with llmsim's error handling and exit codes. */
  static CommandLine newCommandLine(LlmSimCommand command) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler(Main::handleExecutionException);
    cl.setParameterExceptionHandler(Main::handleParameterException);
    return cl;
  }

  /** A command line reading {@code env} instead of the process environment; for tests. */
  static CommandLine newCommandLine(Map<String, String> env) {
    return newCommandLine(new LlmSimCommand(env));
  }

  private static int handleExecutionException(
      Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    int code;
    if (ex instanceof ConfigException config) {
      config.problems().forEach(p -> err.println("llmsim: " + p));
      code = ExitCode.USAGE;
    } else if (ex instanceof CliException) {
      err.println("llmsim: " + ex.getMessage());
      code = ExitCode.SOFTWARE;
    } else {
      // Not one of ours: the class name is part of the message (a bare "null" helps nobody).
      err.println("llmsim: " + ex);
      code = ExitCode.SOFTWARE;
    }
    if (verbose(parseResult)) {
      err.print(stackTrace(ex));
    } else if (code == ExitCode.SOFTWARE && !(ex instanceof CliException)) {
      err.println("llmsim: run with --verbose for the stack trace");
    }
    err.flush();
    return code;
  }

  private static int handleParameterException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("llmsim: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.USAGE;
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The trace of {@code t} and its causes, in the JDK's familiar layout. */
  static String stackTrace(Throwable t) {
    StringBuilder sb = new StringBuilder();
    String prefix = "";
    for (Throwable cur = t; cur != null; cur = cur.getCause() == cur ? null : cur.getCause()) {
      sb.append(prefix).append(cur).append(System.lineSeparator());
      for (StackTraceElement frame : cur.getStackTrace()) {
        sb.append("\tat ").append(frame).append(System.lineSeparator());
      }
      prefix = "Caused by: ";
    }
    return sb.toString();
  }

  /**
   * slf4j-simple to stderr at info, short lines ({@code 12:00:00.123 INFO LlmSimServer - ...}), no
   * thread names. System properties set by the user (JAVA_OPTS=-Dorg.slf4j...) win.
   */
  static void configureLogging(boolean verbose) {
    setDefault("logFile", "System.err");
    setDefault("defaultLogLevel", "info");
    setDefault("showThreadName", "false");
    setDefault("showDateTime", "true");
    setDefault("dateTimeFormat", "HH:mm:ss.SSS");
    setDefault("showShortLogName", "true");
    if (verbose) {
      setDefault("log.io.llmsim", "debug");
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(SIMPLE_LOGGER + key) == null) {
      System.setProperty(SIMPLE_LOGGER + key, value);
    }
  }
}
