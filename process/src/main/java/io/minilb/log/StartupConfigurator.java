package io.minilb.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Found by logback through {@code META-INF/services}: the defaults ({@code info}, text) from the
 * first logger on, so nothing before flag parsing logs at logback's DEBUG default, and logback
 * never looks for XML files.
 */
public final class StartupConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    Logs.configure(ctx, LogOptions.Level.info, LogOptions.Format.text);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
