package io.minilb.cli;

import java.util.Map;
import picocli.CommandLine;

/** The command-line conventions both processes share. */
public final class Commands {

  private Commands() {}

  /**
   * A picocli command line whose options fall back to {@code MINILB_*} variables from {@code env}
   * and whose bad input ends in one line naming the flag and a non-zero exit.
   */
  public static CommandLine of(Object command, Map<String, String> env) {
    var cl = new CommandLine(command);
    cl.setDefaultValueProvider(new EnvDefaults(env));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("minilb: " + ex.getMessage());
          return 2;
        });
    return cl;
  }
}
