package io.minilb.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineEncoderTest {

  @Test
  void anEvent_isOneObjectOnOneLine_withItsFieldsAndException() {
    var ctx = new LoggerContext();
    var event =
        new LoggingEvent(
            "x",
            ctx.getLogger("io.minilb.Thing"),
            Level.WARN,
            "dropped {}",
            new IllegalStateException("bad\nthing"),
            new Object[] {"svc \"a\""});
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("namespace", "default"));
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("count", 3));
    var encoder = new JsonLineEncoder();
    encoder.setContext(ctx);
    encoder.start();

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("}\n");
    assertThat(line.strip()).doesNotContain("\n");
    assertThat(line)
        .startsWith("{\"timestamp\":\"")
        .contains("\"level\":\"WARN\"")
        .contains("\"logger\":\"io.minilb.Thing\"")
        .contains("\"message\":\"dropped svc \\\"a\\\"\"")
        .contains("\"namespace\":\"default\"")
        .contains("\"count\":3")
        .contains("\"exception\":\"java.lang.IllegalStateException: bad\\nthing");
  }
}
