package io.llmsim.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code llmsim --version}: the version from the jar manifest ("dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "llmsim " + version(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
