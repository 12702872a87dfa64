package io.minilb.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logback configured in code (no XML lookup, so start-up stays light): one console appender on
 * stderr, text or JSON lines, and java.util.logging (gRPC, TLS reloads) routed through it.
 */
public final class Logs {

  /** ISO-8601 timestamp with offset, level, the logger's class name, message, key-value pairs. */
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%replace( %kvp){'^ $', ''}%n";

  /**
   * Loggers that speak too loudly for an operator. fabric8 warns at every start that the Gateway
   * API's TLSRoute is an unstable version; that is expected and reads like a failure.
   */
  private static final Map<String, Level> QUIETER =
      Map.of("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR);

  private Logs() {}

  /** Applies {@code level} and {@code format}; a no-op when slf4j is not bound to logback. */
  public static void configure(LogOptions.Level level, LogOptions.Format format) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      configure(ctx, level, format);
    }
  }

  static void configure(LoggerContext ctx, LogOptions.Level level, LogOptions.Format format) {
    ctx.reset();
    var propagator = new LevelChangePropagator(); // cheap JUL checks for disabled levels
    propagator.setContext(ctx);
    propagator.setResetJUL(true);
    ctx.addListener(propagator);
    propagator.start();
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }

    var appender = new ConsoleAppender<ILoggingEvent>();
    appender.setContext(ctx);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder(ctx, format));
    appender.start();

    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level.name()));
    root.addAppender(appender);
    QUIETER.forEach((name, l) -> ctx.getLogger(name).setLevel(l));
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, LogOptions.Format format) {
    if (format == LogOptions.Format.json) {
      var json = new JsonLineEncoder();
      json.setContext(ctx);
      json.start();
      return json;
    }
    var text = new PatternLayoutEncoder();
    text.setContext(ctx);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }
}
