package io.minilb.log;

/**
 * Text from the network made safe to log: every control character (C0, DEL, C1, and the Unicode
 * line and paragraph separators) is written as an escape, so a client cannot forge a log line or
 * move the cursor of a terminal, and the result is truncated so a client cannot flood the log.
 * Backslashes are doubled, so the escaped form is unambiguous.
 */
public final class Untrusted {

  /** How many characters of a client's value a log line carries by default. */
  public static final int DEFAULT_MAX = 128;

  private Untrusted() {}

  /** {@code value} escaped and cut to {@link #DEFAULT_MAX} characters of the original. */
  public static String text(String value) {
    return text(value, DEFAULT_MAX);
  }

  /**
   * {@code value} escaped and cut to {@code max} characters of the original, with the number of
   * characters left out appended; {@code "null"} for null.
   */
  public static String text(String value, int max) {
    if (value == null) {
      return "null";
    }
    int keep = Math.min(value.length(), Math.max(0, max));
    var out = new StringBuilder(keep + 16);
    for (int i = 0; i < keep; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (keep < value.length()) {
      out.append("...(").append(value.length() - keep).append(" more chars)");
    }
    return out.toString();
  }
}
