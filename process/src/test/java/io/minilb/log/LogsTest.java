package io.minilb.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogsTest {

  @Test
  void aTextLine_hasTimestampLevelShortLoggerAndMessage() {
    var ctx = new LoggerContext();
    var encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(Logs.TEXT_PATTERN);
    encoder.start();
    var event =
        new LoggingEvent(
            "x",
            ctx.getLogger("io.minilb.resolver.Resolver"),
            ch.qos.logback.classic.Level.INFO,
            "serving DNS on {}, ops on {}",
            null,
            new Object[] {"/127.0.0.1:5353", "/127.0.0.1:8081"});

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line)
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  Resolver -"
                + " serving DNS on /127.0.0.1:5353, ops on /127.0.0.1:8081\\R");
  }

  @Test
  void levelAndFormat_applyToTheContext() {
    var ctx = new LoggerContext();

    Logs.configure(ctx, LogOptions.Level.warn, LogOptions.Format.json);

    assertThat(ctx.getLogger("io.minilb.x").isInfoEnabled()).isFalse();
    assertThat(ctx.getLogger("io.minilb.x").isWarnEnabled()).isTrue();
    assertThat(
            ctx.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
                .isWarnEnabled())
        .isFalse();
  }
}
