package io.minilb.controller.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ObjectKey;
import org.junit.jupiter.api.Test;

class FindingTest {

  @Test
  void aLongMessage_isCutBetweenCodePoints_neverInsideASurrogatePair() {
    // the emoji's high surrogate sits where a cut at 1,023 chars would fall
    String message = "a".repeat(Finding.MAX_MESSAGE - 2) + "😀".repeat(10);

    var f = Finding.warning("Service", new ObjectKey("default", "web"), "Test", message);

    assertThat(f.message()).hasSizeLessThanOrEqualTo(Finding.MAX_MESSAGE).endsWith("a…");
    assertThat(f.message().codePoints()).noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
  }

  @Test
  void aMessageAtTheLimit_isKeptWhole() {
    String message = "a".repeat(Finding.MAX_MESSAGE - 2) + "😀";

    var f = Finding.warning("Service", new ObjectKey("default", "web"), "Test", message);

    assertThat(f.message()).isEqualTo(message);
  }
}
