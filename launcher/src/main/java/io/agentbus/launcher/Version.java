package io.agentbus.launcher;

import picocli.CommandLine;

/** The version printed by --version: the jar's implementation version, or "dev" when run from classes. */
final class Version implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[]{"agentbus " + (v == null ? "dev" : v)};
  }
}
