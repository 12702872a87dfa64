package io.minilb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
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
      Snapshot older = generate(random, new Version(random.nextLong(), random.nextInt(1000)));
      Snapshot newer =
          random.nextInt(4) == 0
              ? generate(random, older.version().next())
              : mutate(random, older, older.version().next());

      Delta delta = newer.diff(older);

      assertThat(older.apply(delta)).isEqualTo(newer);
      assertThat(Snapshot.fromProto(older.toProto()).apply(Delta.fromProto(delta.toProto())))
          .isEqualTo(newer);
    }
  }

  @Test
  void diff_ofUnchangedContent_isEmpty() {
    var older = generate(new Random(1), new Version(7, 1));
    var newer = new Snapshot(new Version(7, 2), older.zones(), older.rrsets().values());

    assertThat(newer.diff(older).isEmpty()).isTrue();
    assertThat(newer.sameContent(older)).isTrue();
    assertThat(newer).isNotEqualTo(older);
  }

  @Test
  void apply_onAnotherBase_isRefused() {
    var older = generate(new Random(2), new Version(7, 1));
    var newer = mutate(new Random(3), older, new Version(7, 2));
    var stranger = generate(new Random(4), new Version(9, 1));

    assertThatThrownBy(() -> stranger.apply(newer.diff(older)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void names_areCanonicalisedToLowerCase_andMustBeAbsolute() {
    var set = new RRSet("Web.Default.MiniLB.", A, 5, List.of(ip(10, 0, 0, 1)));

    assertThat(set.name()).isEqualTo("web.default.minilb.");
    assertThatThrownBy(() -> new RRSet("web.default.minilb", A, 5, List.of(ip(10, 0, 0, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RRSet("web.default.minilb.", A, 5, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void duplicateRRsets_areRejected() {
    var set = new RRSet("a.minilb.", A, 5, List.of(ip(10, 0, 0, 1)));

    assertThatThrownBy(() -> new Snapshot(new Version(1, 1), List.of("minilb."), List.of(set, set)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Snapshot generate(Random random, Version version) {
    var sets = new ArrayList<RRSet>();
    int names = random.nextInt(20);
    for (int n = 0; n < names; n++) {
      String owner = "svc" + n + ".ns" + random.nextInt(3) + ".minilb.";
      sets.add(randomSet(random, owner, A));
      if (random.nextBoolean()) {
        sets.add(randomSet(random, owner, AAAA));
      }
    }
    List<String> zones =
        random.nextBoolean() ? List.of("minilb.") : List.of("minilb.", "10.in-addr.arpa.");
    return new Snapshot(version, zones, dedupe(sets));
  }

  private static Snapshot mutate(Random random, Snapshot base, Version version) {
    var sets = new ArrayList<>(base.rrsets().values());
    int edits = random.nextInt(5);
    for (int e = 0; e < edits && !sets.isEmpty(); e++) {
      int idx = random.nextInt(sets.size());
      switch (random.nextInt(3)) {
        case 0 -> sets.remove(idx);
        case 1 -> sets.set(idx, randomSet(random, sets.get(idx).name(), sets.get(idx).type()));
        default -> sets.add(randomSet(random, "new" + random.nextInt(50) + ".minilb.", A));
      }
    }
    return new Snapshot(version, base.zones(), dedupe(sets));
  }

  private static List<RRSet> dedupe(List<RRSet> sets) {
    var seen = new java.util.LinkedHashMap<RRKey, RRSet>();
    sets.forEach(s -> seen.put(s.key(), s));
    return new ArrayList<>(seen.values());
  }

  private static RRSet randomSet(Random random, String owner, int type) {
    var rdata = new ArrayList<ByteString>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[type == A ? 4 : 16];
      random.nextBytes(b);
      rdata.add(ByteString.copyFrom(b));
    }
    return new RRSet(owner, type, 1 + random.nextInt(10), rdata);
  }

  private static ByteString ip(int a, int b, int c, int d) {
    return ByteString.copyFrom(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }
}
