package io.minilb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  private static final int A = 1;
  private static final int AAAA = 28;

  @Test
  void applyOfDiff_overManyGeneratedPairs_reproducesNewer() {
    var random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      Snapshot older =
          Generated.snapshot(random, new Version(random.nextLong(), random.nextInt(1000)));
      Snapshot newer =
          random.nextInt(4) == 0
              ? Generated.snapshot(random, older.version().next())
              : Generated.mutate(random, older, older.version().next());

      Delta delta = newer.diff(older);

      assertThat(older.apply(delta)).isEqualTo(newer);
    }
  }

  @Test
  void diff_ofUnchangedContent_isEmpty() {
    var older = Generated.snapshot(new Random(1), new Version(7, 1));
    var newer = new Snapshot(new Version(7, 2), older.zones(), older.rrsets().values());

    assertThat(newer.diff(older).isEmpty()).isTrue();
    assertThat(newer.sameContent(older)).isTrue();
    assertThat(newer).isNotEqualTo(older);
  }

  @Test
  void apply_onAnotherBase_isRefused() {
    var older = Generated.snapshot(new Random(2), new Version(7, 1));
    var newer = Generated.mutate(new Random(3), older, new Version(7, 2));
    var stranger = Generated.snapshot(new Random(4), new Version(9, 1));

    assertThatThrownBy(() -> stranger.apply(newer.diff(older)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void names_areCanonicalisedToLowerCase_andMustBeAbsolute() {
    var set = new RRSet("Web.Default.MiniLB.", A, 5, List.of(Generated.ip(10, 0, 0, 1)));

    assertThat(set.name()).isEqualTo("web.default.minilb.");
    assertThatThrownBy(
            () -> new RRSet("web.default.minilb", A, 5, List.of(Generated.ip(10, 0, 0, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RRSet("web.default.minilb.", A, 5, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void duplicateRRsets_areRejected() {
    var set = new RRSet("a.minilb.", A, 5, List.of(Generated.ip(10, 0, 0, 1)));

    assertThatThrownBy(() -> new Snapshot(new Version(1, 1), List.of("minilb."), List.of(set, set)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
