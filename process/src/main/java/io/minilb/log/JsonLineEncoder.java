package io.minilb.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per event and line: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code
 * logger}, {@code thread}, {@code message}, then the event's key-value pairs as fields, then {@code
 * exception} (the stack trace as one string) if any. Numbers and booleans stay unquoted.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent e) {
    var sb = new StringBuilder(256);
    sb.append("{\"timestamp\":\"").append(e.getInstant()).append('"');
    field(sb, "level", e.getLevel().toString());
    field(sb, "logger", e.getLoggerName());
    field(sb, "thread", e.getThreadName());
    field(sb, "message", e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      for (KeyValuePair kv : e.getKeyValuePairs()) {
        if (kv.value instanceof Number || kv.value instanceof Boolean) {
          sb.append(',');
          string(sb, kv.key);
          sb.append(':').append(kv.value);
        } else {
          field(sb, kv.key, String.valueOf(kv.value));
        }
      }
    }
    if (e.getThrowableProxy() != null) {
      field(sb, "exception", ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    sb.append("}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(',');
    string(sb, name);
    sb.append(':');
    string(sb, value);
  }

  /** A JSON string literal (RFC 8259 escapes). */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
