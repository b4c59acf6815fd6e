package io.llmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code llmsim validate FILE...}: checks config files without starting anything. */
@Command(
    name = "validate",
    sortOptions = false,
    description = {
      "Check llmsim config files (the YAML of 'serve --config') without starting anything.",
      "",
      "Applies the same rules as serve: unknown keys, wrong types and bad values are",
      "errors, and a profiles file the config names is loaded and checked too.",
      "LLMSIM_* environment variables are not applied. Prints 'FILE: ok' for a good",
      "file, otherwise one line per problem on stderr."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every file is valid", "2:a file has a problem, or usage error"})
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Config file(s) to check.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean ok = true;
    for (Path file : files) {
      try {
        ConfigLoader.load(ServeOptions.none(), Map.of(), file);
        out.println(file + ": ok");
      } catch (ConfigException e) {
        e.problems().forEach(err::println);
        ok = false;
      }
    }
    out.flush();
    err.flush();
    return ok ? 0 : 2;
  }
}
