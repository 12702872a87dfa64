package io.minilb.resolver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class SlowDeltaLineTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void admit_letsOneLineThroughPerTenSeconds_andCountsTheOnesHeldBack() {
    var line = new SlowDeltaLine();
    long t0 = -5 * SECOND; // nanoTime may be negative
    var results = new ArrayList<Integer>();

    for (long at : new long[] {0, 1, 2, 9, 10, 11, 25, 26}) {
      results.add(line.admit(t0 + at * SECOND));
    }

    assertThat(results).containsExactly(0, -1, -1, -1, 3, -1, 1, -1);
  }

  @Test
  void admit_afterAQuietSpell_logsAtOnce_withNothingHeldBack() {
    var line = new SlowDeltaLine();

    assertThat(line.admit(0)).isZero();
    assertThat(line.admit(60 * SECOND)).isZero();
    assertThat(line.admit(60 * SECOND + SlowDeltaLine.EVERY_NANOS - 1)).isEqualTo(-1);
  }
}
