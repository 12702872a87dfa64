package io.minilb.log;

import picocli.CommandLine.Option;

/**
 * {@code --log-level} and {@code --log-format}, mixed into every command; {@link #apply} before the
 * command does anything worth logging.
 */
public final class LogOptions {

  /** Lower-case so that help and variables read as typed. */
  public enum Level {
    error,
    warn,
    info,
    debug
  }

  /** {@code text}: one human line per event; {@code json}: one object per line. */
  public enum Format {
    text,
    json
  }

  @Option(
      names = "--log-level",
      defaultValue = "info",
      description =
          "Least severe events logged: error, warn, info or debug (default: ${DEFAULT-VALUE}).")
  Level level = Level.info;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description =
          "text (timestamp, level, logger, message) or json (one object per line) (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  public Level level() {
    return level;
  }

  public Format format() {
    return format;
  }

  /** Reconfigures logging to these settings. */
  public void apply() {
    Logs.configure(level, format);
  }
}
