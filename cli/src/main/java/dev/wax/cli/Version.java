package dev.wax.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the Wax version and the Bytewax API version it implements. */
final class Version implements IVersionProvider {
  static final String WAX = "0.1.0";
  static final String BYTEWAX_API = "0.21.1";

  @Override
  public String[] getVersion() {
    return new String[] {
      "wax " + WAX + " (Bytewax API " + BYTEWAX_API + ", GraalPy 25.0.3)",
      "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name")
    };
  }
}
