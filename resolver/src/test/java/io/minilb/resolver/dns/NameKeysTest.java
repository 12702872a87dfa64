package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameKeysTest {

  private final NameKeys keys = new NameKeys();

  @Test
  void aNameAskedAgain_reusesItsKey() {
    String first = key("web.default.minilb.");
    assertThat(key("web.default.minilb.")).isSameAs(first).isEqualTo("web.default.minilb.");
  }

  @Test
  void namesSharingASlot_eachGetTheirOwnKey_inAnyOrder() {
    String a = "svc0.ns0.minilb.";
    String b = null;
    for (int i = 1; b == null; i++) {
      String c = "svc" + i + ".ns0.minilb.";
      if (slot(c) == slot(a)) {
        b = c;
      }
    }
    for (int round = 0; round < 3; round++) {
      assertThat(key(a)).isEqualTo(a);
      assertThat(key(b)).isEqualTo(b);
      assertThat(key(b)).isEqualTo(b);
    }
  }

  @Test
  void aPrefixOfTheHeldName_isNotTakenForIt() {
    byte[] longer = "web.default.minilb.x.".getBytes(StandardCharsets.ISO_8859_1);
    String shorter = "web.default.minilb.";
    keys.key(longer, longer.length, "web.default.minilb.x.".hashCode());
    // same bytes up to n, and (forced) the same slot: only the length tells them apart
    assertThat(keys.key(longer, shorter.length(), "web.default.minilb.x.".hashCode()))
        .isEqualTo(shorter);
  }

  @Test
  void aFloodOfRandomLongNames_holdsAtMostTheSlotsOfShortNames() {
    var random = new java.util.Random(7);
    for (int i = 0; i < 100_000; i++) {
      var b = new StringBuilder();
      for (int len = 1 + random.nextInt(200); b.length() < len; ) {
        b.append((char) ('a' + random.nextInt(26)));
      }
      String name = b.append(".default.minilb.").toString();
      assertThat(key(name)).isEqualTo(name);
    }

    assertThat(keys.heldChars()).isLessThanOrEqualTo((long) NameKeys.SLOTS * NameKeys.MAX_LENGTH);
  }

  @Test
  void aLongName_getsAKeyEachTime_notASlot() {
    String name = "x".repeat(NameKeys.MAX_LENGTH) + ".minilb.";
    String first = key(name);
    assertThat(key(name)).isEqualTo(first).isNotSameAs(first);
    assertThat(keys.heldChars()).isZero();
  }

  private String key(String name) {
    byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
    return keys.key(b, b.length, name.hashCode());
  }

  private static int slot(String name) {
    int h = name.hashCode();
    return (h ^ (h >>> 16)) & (NameKeys.SLOTS - 1);
  }
}
