package io.minilb.resolver.store;

import static io.minilb.resolver.store.HashTrieTest.colliding;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.proto.Messages;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The index under names a tenant chose to share one {@link String#hashCode} (the first label made
 * of "an" and "c0" blocks): the work to build it and to look names up stays per name, not per
 * colliding name, and the answers are right. Counts work (slots probed, keys compared), not time.
 */
class HashFloodTest {

  private static final Version V1 = new Version(1, 1);

  /** Name {@code i} of 2^{@code k} names sharing one hash. */
  private static String name(int i, int k) {
    return colliding(i, k) + ".flood.minilb.";
  }

  @Test
  void fullSyncBuilder_withNamesSharingAHashCode_probesAFewSlotsPerName() {
    for (int k = 12; k <= 15; k++) {
      int n = 1 << k;
      var builder = new ZoneIndex.Builder(n);
      for (int i = 0; i < n; i++) {
        builder.add(name(i, k), Type.A, 5, new byte[][] {address(i)});
      }
      int names = n + 3; // and flood.minilb., minilb., the root

      // Linear probing on String.hashCode put all 2^k names in one run: n^2/2 probes.
      assertThat(builder.probes()).as("2^%d names", k).isLessThanOrEqualTo(3L * names);
      ZoneIndex index = builder.build(V1, List.of());
      assertThat(index.nameCount()).isEqualTo(names);
      assertThat(index.find(name(n - 1, k), Type.A).first(Name.root).rdataToString())
          .isEqualTo(addressText(n - 1));
    }
  }

  @Test
  void fullSyncOfNamesSharingAHashCode_answersEachName_withoutAScan() throws Exception {
    int k = 13;
    ZoneIndex index = fullSync(snapshot(k));

    assertThat(index.longestNameScan()).isLessThanOrEqualTo(3);
    for (int i = 0; i < 1 << k; i++) {
      assertAddress(index, name(i, k), i);
    }
    assertThat(index.exists(name(0, k).replace("flood", "other"))).isFalse();
    assertThat(index.find(name(0, k), Type.AAAA)).isNull();
  }

  @Test
  void deltasAmongNamesSharingAHashCode_applyWithoutAScan_andLeaveTheOldVersionIntact()
      throws Exception {
    int k = 12;
    int n = 1 << k;
    ZoneIndex before = fullSync(snapshot(k));
    var removals = new ArrayList<RRKey>();
    var upserts = new ArrayList<RRSet>();
    for (int i = 0; i < n; i += 2) {
      removals.add(new RRKey(name(i, k), Type.A));
    }
    for (int i = 1; i < n; i += 4) {
      upserts.add(a(name(i, k), n + i));
    }

    ZoneIndex after =
        before.apply(new Delta(V1, new Version(1, 2), List.of("minilb."), upserts, removals));

    assertThat(after.longestNameScan()).isLessThanOrEqualTo(3);
    assertThat(after.nameCount()).isEqualTo(n / 2 + 3);
    for (int i = 0; i < n; i++) {
      assertAddress(before, name(i, k), i);
      if (i % 2 == 0) {
        assertThat(after.exists(name(i, k))).isFalse();
      } else {
        assertAddress(after, name(i, k), i % 4 == 1 ? n + i : i);
      }
    }
  }

  private static ZoneIndex fullSync(Snapshot snapshot) {
    byte[] wire = Messages.toProto(snapshot).toByteArray();
    return WireSnapshot.index(wire, 0, wire.length);
  }

  private static Snapshot snapshot(int k) throws Exception {
    var soa =
        new SOARecord(
            Name.fromString("minilb."),
            DClass.IN,
            5,
            Name.fromString("ns.minilb."),
            Name.fromString("hostmaster.minilb."),
            1,
            60,
            30,
            3600,
            5);
    var sets = new ArrayList<RRSet>();
    sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))));
    for (int i = 0; i < 1 << k; i++) {
      sets.add(a(name(i, k), i));
    }
    return new Snapshot(V1, List.of("minilb."), sets);
  }

  private static RRSet a(String name, int i) {
    return new RRSet(name, Type.A, 5, List.of(Rdata.of(address(i))));
  }

  private static byte[] address(int i) {
    return new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
  }

  private static String addressText(int i) {
    return "10." + (i >>> 16 & 255) + "." + (i >>> 8 & 255) + "." + (i & 255);
  }

  private static void assertAddress(ZoneIndex index, String name, int i) {
    RecordSet set = index.find(name, Type.A);
    assertThat(set).as(name).isNotNull();
    assertThat(set.first(Name.fromConstantString(name)).rdataToString())
        .as(name)
        .isEqualTo(addressText(i));
  }
}
