package io.minilb.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Makes every long option also settable as an environment variable: {@code --lb-class} reads {@code
 * MINILB_LB_CLASS}. A flag on the command line wins over the variable. Repeatable options take a
 * comma-separated list.
 */
public final class EnvDefaults implements IDefaultValueProvider {

  public static final String PREFIX = "MINILB_";

  private final Map<String, String> env;

  public EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The variable that sets {@code longOption} (e.g. {@code --grpc-listen}). */
  public static String variableFor(String longOption) {
    return PREFIX + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec option) {
      String value = env.get(variableFor(option.longestName()));
      if (value != null) {
        return value;
      }
    }
    return arg.defaultValue();
  }
}
