package io.minilb.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTest {

  @Test
  void text_escapesEveryLineBreakAndControlCharacter() {
    String forged =
        "node-1\n2026-01-01T00:00:00Z INFO  Controller - forged\r\u001b[2J\u0085\u2028x\\";

    String safe = Untrusted.text(forged);

    assertThat(safe)
        .isEqualTo(
            "node-1\\n2026-01-01T00:00:00Z INFO  Controller - forged\\r\\u001b[2J\\u0085\\u2028x\\\\");
    assertThat(safe.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).isTrue();
  }

  @Test
  void text_truncatesLongValues_andSaysHowMuchWasLeftOut() {
    String safe = Untrusted.text("x".repeat(60_000), 10);

    assertThat(safe).isEqualTo("xxxxxxxxxx...(59990 more chars)");
  }

  @Test
  void text_leavesOrdinaryNamesAlone() {
    assertThat(Untrusted.text("worker-3.example.internal")).isEqualTo("worker-3.example.internal");
    assertThat(Untrusted.text(null)).isEqualTo("null");
  }
}
