package io.minilb.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command-line conventions every minilb command shares. */
public final class Commands {

  private Commands() {}

  /**
   * A picocli command line whose options fall back to {@code MINILB_*} variables from {@code env}
   * (and whose help says so), whose {@code --version} names the build, and whose bad input or
   * failed start (unreadable file, taken port) ends in one line on stderr and a non-zero exit.
   */
  public static CommandLine of(Object command, Map<String, String> env) {
    var cl = new CommandLine(command);
    CommandSpec spec = cl.getCommandSpec();
    spec.versionProvider(new Version());
    nameVariablesInHelp(spec);
    cl.setDefaultValueProvider(new EnvDefaults(env));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          ex.getCommandLine().getErr().println("minilb: " + ex.getMessage());
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          if (ex instanceof IOException
              || ex instanceof UncheckedIOException
              || ex instanceof IllegalArgumentException) {
            line.getErr().println("minilb: " + ex.getMessage());
            return 1;
          }
          throw ex;
        });
    return cl;
  }

  /**
   * Appends {@code (env: MINILB_…)} to each option's help. Option specs are immutable, so each is
   * rebuilt (same binding) and re-added; doing them all in order keeps the help's order.
   */
  private static void nameVariablesInHelp(CommandSpec spec) {
    for (OptionSpec o : new ArrayList<>(spec.options())) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      String[] description = o.description().clone();
      String env = " (env: " + EnvDefaults.variableFor(o.longestName()) + ")";
      if (description.length == 0) {
        description = new String[] {env.strip()};
      } else {
        description[description.length - 1] += env;
      }
      spec.remove(o);
      spec.addOption(o.toBuilder().description(description).build());
    }
  }
}
