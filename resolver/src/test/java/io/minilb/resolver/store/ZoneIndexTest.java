package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneIndexTest {

  private static final Version V1 = new Version(9, 1);

  @Test
  void applyingAOneRRsetDelta_toA50kIndex_copiesOnlyAFewNodes_andSharesTheRest() {
    Snapshot big = services(50_000);
    ZoneIndex before = ZoneIndex.of(big);
    var changed = new ArrayList<>(big.rrsets().values());
    changed.removeIf(s -> s.name().equals("svc-777.default.minilb."));
    changed.add(a("svc-777.default.minilb.", 10, 10, 9, 9, 9));
    Snapshot next = new Snapshot(V1.next(), big.zones(), changed);

    ZoneIndex after = before.apply(next.diff(big));

    Set<Object> old = Collections.newSetFromMap(new IdentityHashMap<>());
    before.forEachNameNode(old::add);
    int total = old.size();
    int fresh = 0;
    var nodes = new ArrayList<Object>();
    after.forEachNameNode(nodes::add);
    for (Object n : nodes) {
      if (!old.contains(n)) {
        fresh++;
      }
    }
    assertThat(total).isGreaterThan(2_000);
    assertThat(nodes).hasSameSizeAs(old);
    // One path from the root to the changed name: the trie's depth, about log32(50k) + 1.
    assertThat(fresh).isBetween(1, 6);
    assertThat(after.find(Name.fromConstantString("svc-777.default.minilb."), Type.A).size())
        .isEqualTo(1);
    assertThat(before.find(Name.fromConstantString("svc-777.default.minilb."), Type.A).ttl())
        .isEqualTo(5);
    assertThat(after.snapshot()).isEqualTo(next);
  }

  @Test
  void apply_matchesIndexingTheNewSnapshot_includingEmptyNonTerminals() {
    Snapshot s1 = services(3);
    var sets = new ArrayList<>(s1.rrsets().values());
    sets.removeIf(s -> s.name().equals("svc-1.default.minilb."));
    sets.add(a("x.deep.svc-9.other.minilb.", 5, 10, 0, 0, 9));
    Snapshot s2 = new Snapshot(V1.next(), s1.zones(), sets);

    ZoneIndex applied = ZoneIndex.of(s1).apply(s2.diff(s1));

    assertThat(applied.snapshot()).isEqualTo(s2);
    assertThat(applied.rrsetCount()).isEqualTo(s2.rrsets().size());
    assertThat(applied.exists(Name.fromConstantString("svc-1.default.minilb."))).isFalse();
    assertThat(applied.exists(Name.fromConstantString("deep.svc-9.other.minilb."))).isTrue();
    assertThat(applied.exists(Name.fromConstantString("svc-9.other.minilb."))).isTrue();
    assertThat(applied.hasRecords(Name.fromConstantString("svc-9.other.minilb."))).isFalse();

    var s3 = new Snapshot(V1.next().next(), s1.zones(), s1.rrsets().values());
    ZoneIndex back = applied.apply(s3.diff(s2));
    assertThat(back.exists(Name.fromConstantString("deep.svc-9.other.minilb."))).isFalse();
    assertThat(back.exists(Name.fromConstantString("other.minilb."))).isFalse();
    assertThat(back.exists(Name.fromConstantString("svc-1.default.minilb."))).isTrue();
  }

  @Test
  void manyZones_areFoundBySuffix_mostSpecificFirst() {
    var sets = new ArrayList<>(services(1).rrsets().values());
    var zones = new ArrayList<>(List.of("minilb."));
    for (int i = 0; i < 2_000; i++) {
      String apex = "host-" + i + ".example.com.";
      zones.add(apex);
      sets.add(soa(apex));
      sets.add(a(apex, 5, 10, 1, 0, 1));
    }
    zones.add("sub.host-5.example.com.");
    sets.add(soa("sub.host-5.example.com."));

    ZoneIndex idx = ZoneIndex.of(new Snapshot(V1, zones, sets));

    assertThat(idx.zoneOf(Name.fromConstantString("a.HOST-7.example.com.")).apex())
        .isEqualTo(Name.fromConstantString("host-7.example.com."));
    assertThat(idx.zoneOf(Name.fromConstantString("x.sub.host-5.example.com.")).apex())
        .isEqualTo(Name.fromConstantString("sub.host-5.example.com."));
    assertThat(idx.zoneOf(Name.fromConstantString("example.com."))).isNull();
  }

  @Test
  void aDeltaWithMalformedRdata_isRejected_andTheIndexIsUnchanged() {
    Snapshot s1 = services(3);
    var sets = new ArrayList<>(s1.rrsets().values());
    sets.add(new RRSet("bad.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {1, 2, 3}))));
    Snapshot s2 = new Snapshot(V1.next(), s1.zones(), sets);
    ZoneIndex idx = ZoneIndex.of(s1);

    assertThatThrownBy(() -> idx.apply(s2.diff(s1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed rdata in bad.default.minilb./1");
    assertThat(idx.snapshot()).isEqualTo(s1);
  }

  @Test
  void emptyOrShortSoaRdata_isMalformed() {
    var sets = new ArrayList<>(services(1).rrsets().values());
    sets.removeIf(s -> s.type() == Type.SOA);
    sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(new byte[0]))));

    assertThatThrownBy(() -> ZoneIndex.of(new Snapshot(V1, List.of("minilb."), sets)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed rdata in minilb./6");
  }

  @Test
  void parentKeys_skipEscapedDots() {
    assertThat(ZoneIndex.parent("a.b.")).isEqualTo("b.");
    assertThat(ZoneIndex.parent("b.")).isEqualTo(".");
    assertThat(ZoneIndex.parent(".")).isNull();
    assertThat(ZoneIndex.parent("a\\.x.b.")).isEqualTo("b.");
    assertThat(ZoneIndex.parent("a\\046x.b.")).isEqualTo("b.");
  }

  /** {@code n} Services in zone minilb., one A RRset each, plus the SOA and NS. */
  static Snapshot services(int n) {
    var sets = new ArrayList<RRSet>();
    sets.add(soa("minilb."));
    for (int i = 0; i < n; i++) {
      sets.add(a("svc-" + i + ".default.minilb.", 5, 10, 244, i >> 8 & 0xFF, i & 0xFF));
    }
    return new Snapshot(V1, List.of("minilb."), sets);
  }

  static RRSet a(String name, int ttl, int... octets) {
    var rdata = new ArrayList<Rdata>();
    for (int i = 0; i < octets.length; i += 4) {
      rdata.add(
          Rdata.of(
              new byte[] {
                (byte) octets[i], (byte) octets[i + 1], (byte) octets[i + 2], (byte) octets[i + 3]
              }));
    }
    return new RRSet(name, Type.A, ttl, rdata);
  }

  static RRSet soa(String apex) {
    var soa =
        new org.xbill.DNS.SOARecord(
            Name.fromConstantString(apex),
            org.xbill.DNS.DClass.IN,
            5,
            Name.fromConstantString("ns.minilb."),
            Name.fromConstantString("hostmaster.minilb."),
            1,
            60,
            30,
            3600,
            5);
    return new RRSet(apex, Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical())));
  }
}
