package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.proto.Messages;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * The cap on an index's names ({@link ZoneIndex#MAX_NAMES}): the empty non-terminals above owners
 * count, so a few cheap RRsets of deep names cannot make a resolver hold millions of names. A
 * snapshot or delta past it is rejected whole; the index it would have replaced is unchanged.
 */
class ZoneIndexLimitTest {

  private static final Version V = new Version(4, 1);
  private static final List<String> ZONES = List.of("minilb.");

  @Test
  void aSnapshotOfDeepNamesPastTheCap_isRejected_onTheWire() {
    // 2^15 RRsets of 16 labels under their own label: 16 names each, 2^19 in all, plus the apex
    // and the root.
    var sets = new ArrayList<RRSet>();
    sets.add(ZoneIndexTest.soa("minilb."));
    for (int i = 0; i < 1 << 15; i++) {
      sets.add(a("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.x" + i + ".minilb."));
    }
    byte[] wire = Messages.toProto(new Snapshot(V, ZONES, sets)).toByteArray();

    assertThatThrownBy(() -> WireSnapshot.index(wire, 0, wire.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + ZoneIndex.MAX_NAMES + " names");

    // One RRset fewer fits: 2^19 - 14 names.
    sets.remove(sets.size() - 1);
    byte[] fits = Messages.toProto(new Snapshot(V, ZONES, sets)).toByteArray();
    assertThat(WireSnapshot.index(fits, 0, fits.length).nameCount())
        .isEqualTo(ZoneIndex.MAX_NAMES - 14);
  }

  @Test
  void aSnapshotPastTheCap_isRejected_byTheGeneralBuild() {
    var sets = new ArrayList<RRSet>(List.of(ZoneIndexTest.soa("minilb.")));
    sets.add(a("a.b.x.minilb."));
    sets.add(a("y.minilb."));
    // The root, minilb., x, b.x, a.b.x and y.
    assertThat(ZoneIndex.ofDistinct(V, ZONES, sets, 6).nameCount()).isEqualTo(6);

    sets.add(a("z.minilb."));
    assertThatThrownBy(() -> ZoneIndex.ofDistinct(V, ZONES, sets, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 6 names");
  }

  @Test
  void aDeltaPastTheCap_isRejected_andTheIndexKeepsItsNames() {
    var sets = List.of(ZoneIndexTest.soa("minilb."), a("y.minilb."));
    ZoneIndex held = ZoneIndex.ofDistinct(V, ZONES, sets, 4);

    var deep = new Delta(V, V.next(), ZONES, List.of(a("a.b.y.minilb.")), List.of());
    assertThatThrownBy(() -> held.apply(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 4 names");
    assertThat(held.nameCount()).isEqualTo(3); // the root, minilb. and y
    assertThat(held.exists("b.y.minilb.")).isFalse();

    // Within the cap, a delta still applies.
    var within = new Delta(V, V.next(), ZONES, List.of(a("b.y.minilb.")), List.of());
    assertThat(held.apply(within).nameCount()).isEqualTo(4);
  }

  @Test
  void theWireBuild_stopsAtTheCap_beforeHoldingMoreNames() {
    var builder = new ZoneIndex.Builder(4, 4); // a and b, minilb. and the root
    builder.add("a.minilb.", Type.A, 5, new byte[][] {{10, 0, 0, 1}});
    builder.add("b.minilb.", Type.A, 5, new byte[][] {{10, 0, 0, 2}});
    assertThatThrownBy(() -> builder.add("c.minilb.", Type.A, 5, new byte[][] {{10, 0, 0, 3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 4 names");
  }

  @Test
  void aSnapshotRepeatingOneZone_holdsItOnce() {
    // A message may repeat a field; the stream's 64 MiB could carry one zone 15 million times.
    var proto =
        Messages.toProto(new Snapshot(V, ZONES, List.of(ZoneIndexTest.soa("minilb.")))).toBuilder();
    for (int i = 0; i < 100_000; i++) {
      proto.addZones("minilb.");
    }
    byte[] wire = proto.build().toByteArray();
    assertThat(WireSnapshot.index(wire, 0, wire.length).zones()).containsExactly("minilb.");
  }

  @Test
  void aSnapshotOfMoreZonesThanNames_isRejected_onTheWire() {
    var proto =
        Messages.toProto(new Snapshot(V, ZONES, List.of(ZoneIndexTest.soa("minilb.")))).toBuilder();
    for (int i = 0; i < ZoneIndex.MAX_NAMES; i++) {
      proto.addZones("z" + i + ".");
    }
    byte[] wire = proto.build().toByteArray();
    assertThatThrownBy(() -> WireSnapshot.index(wire, 0, wire.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + ZoneIndex.MAX_NAMES + " zones");
  }

  @Test
  void aNameWithMoreRRsetsThanTheCap_isRejected_onTheWire_andByADelta() {
    // Types nobody assigned take any rdata: one byte each.
    var sets = new ArrayList<RRSet>(List.of(ZoneIndexTest.soa("minilb.")));
    for (int t = 0; t < ZoneIndex.MAX_SETS_PER_NAME; t++) {
      sets.add(new RRSet("x.minilb.", 60_000 + t, 5, List.of(Rdata.of(new byte[] {1}))));
    }
    byte[] fits = Messages.toProto(new Snapshot(V, ZONES, sets)).toByteArray();
    ZoneIndex held = WireSnapshot.index(fits, 0, fits.length);
    var one = new RRSet("x.minilb.", 61_000, 5, List.of(Rdata.of(new byte[] {1})));
    sets.add(one);
    byte[] over = Messages.toProto(new Snapshot(V, ZONES, sets)).toByteArray();

    assertThatThrownBy(() -> WireSnapshot.index(over, 0, over.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + ZoneIndex.MAX_SETS_PER_NAME + " RRsets at x.minilb.");
    // The general build (a snapshot protobuf parsed whole, e.g. one sent in parts) as well.
    assertThatThrownBy(() -> ZoneIndex.of(V, ZONES, sets))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + ZoneIndex.MAX_SETS_PER_NAME + " RRsets at x.minilb.");
    var delta = new Delta(V, V.next(), ZONES, List.of(one), List.of());
    assertThatThrownBy(() -> held.apply(delta))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than " + ZoneIndex.MAX_SETS_PER_NAME + " RRsets at x.minilb.");
    // Replacing a type the name holds is no new RRset.
    var replace = new RRSet("x.minilb.", 60_000, 5, List.of(Rdata.of(new byte[] {2})));
    assertThat(held.apply(new Delta(V, V.next(), ZONES, List.of(replace), List.of())).rrsetCount())
        .isEqualTo(held.rrsetCount());
  }

  private static RRSet a(String name) {
    return new RRSet(name, Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0, 1})));
  }
}
