package io.minilb.resolver.store;

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
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The full sync's index build ({@link ZoneIndex.Builder}, through {@link WireSnapshot}) against the
 * general one ({@link ZoneIndex#ofDistinct}, RRset by RRset through model objects and dnsjava
 * names) over a generated zone: every name, its ancestors and its neighbours answer the same, and
 * the owners-below counts agree (removing RRsets makes the same names disappear).
 */
class ZoneIndexBuilderTest {

  private static final Version V = new Version(3, 7);

  @Test
  void wireBuild_answersAsTheGeneralBuild_overAGeneratedZone_andAfterRemovals() throws Exception {
    Snapshot zone = generated(new Random(15), 1_500);
    byte[] wire = Messages.toProto(zone).toByteArray();

    ZoneIndex built = WireSnapshot.index(wire, 0, wire.length);
    ZoneIndex reference = ZoneIndex.ofDistinct(V, zone.zones(), zone.rrsets().values());

    assertSameAnswers(built, reference, zone);

    // Owners-below counts: take away every other RRset; names left without owners below vanish.
    var removals = new ArrayList<RRKey>();
    int k = 0;
    for (RRSet s : zone.rrsets().values()) {
      if (s.type() != Type.SOA && k++ % 2 == 0) {
        removals.add(s.key());
      }
    }
    var delta = new Delta(V, V.next(), zone.zones(), List.of(), removals);
    assertSameAnswers(built.apply(delta), reference.apply(delta), zone);
  }

  @Test
  void plainNames_areTheirOwnKeys_asDnsjavaPrintsThem() {
    var random = new Random(7);
    String alphabet = "abz09-_*.AZ\\\"( é";
    int plain = 0;
    for (int i = 0; i < 200_000; i++) {
      var b = new StringBuilder();
      int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 12);
      for (int j = 0; j < length; j++) {
        b.append(random.nextInt(8) == 0 ? '.' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextInt(20) == 0) {
        b.append("a".repeat(60 + random.nextInt(8))); // labels near the 63-octet limit
      }
      String s = b.append('.').toString().toLowerCase(Locale.ROOT);
      if (ZoneIndex.plain(s)) {
        plain++;
        assertThat(keyOf(s)).as(s).isEqualTo(s);
      }
    }
    assertThat(plain).isGreaterThan(1_000);
    assertThat(ZoneIndex.plain("a".repeat(63) + ".b.")).isTrue();
    assertThat(ZoneIndex.plain("a".repeat(64) + ".b.")).isFalse();
    assertThat(ZoneIndex.plain("a..b.")).isFalse();
    assertThat(ZoneIndex.plain(".")).isFalse();
    assertThat(ZoneIndex.plain("a\\.b.")).isFalse();
  }

  /** The key dnsjava gives {@code s}, or null when it is not a valid name. */
  private static String keyOf(String s) {
    try {
      return ZoneIndex.key(Name.fromString(s));
    } catch (TextParseException e) {
      return null;
    }
  }

  private static void assertSameAnswers(ZoneIndex a, ZoneIndex b, Snapshot zone) throws Exception {
    assertThat(a.version()).isEqualTo(b.version());
    assertThat(a.zones()).isEqualTo(b.zones());
    assertThat(a.rrsetCount()).isEqualTo(b.rrsetCount());
    assertThat(a.snapshot()).isEqualTo(b.snapshot());
    var keys = new TreeSet<String>();
    for (RRSet s : zone.rrsets().values()) {
      Name n = Name.fromString(s.name());
      for (String k = ZoneIndex.key(n); k != null; k = ZoneIndex.parent(k)) {
        keys.add(k);
        keys.add("x." + k);
        keys.add("*." + k);
      }
    }
    for (String key : keys) {
      assertThat(a.exists(key)).as(key).isEqualTo(b.exists(key));
      assertThat(a.hasRecords(key)).as(key).isEqualTo(b.hasRecords(key));
      assertThat(a.zoneAt(key) == null).as(key).isEqualTo(b.zoneAt(key) == null);
      if (a.zoneAt(key) != null) {
        assertThat(a.zoneAt(key).negativeSoa()).isEqualTo(b.zoneAt(key).negativeSoa());
      }
      for (int type : new int[] {Type.A, Type.AAAA, Type.SRV, Type.TXT, Type.SOA, Type.NS}) {
        RecordSet x = a.find(key, type);
        RecordSet y = b.find(key, type);
        assertThat(x == null).as(key + "/" + type).isEqualTo(y == null);
        if (x != null) {
          assertThat(x.toRRSet(key)).isEqualTo(y.toRRSet(key));
        }
      }
    }
  }

  /**
   * Two zones (one inside the other) with Services as the controller emits them, plus names that
   * take dnsjava's path: upper case, escapes, a wildcard, a deep empty non-terminal, TXT and AAAA.
   */
  private static Snapshot generated(Random random, int services) throws Exception {
    var sets = new ArrayList<RRSet>();
    for (String apex : List.of("minilb.", "lab.minilb.")) {
      Name a = Name.fromString(apex);
      var soa =
          new SOARecord(
              a,
              DClass.IN,
              5,
              Name.fromString("ns." + apex),
              Name.fromString("h." + apex),
              1,
              60,
              30,
              3600,
              5);
      sets.add(new RRSet(apex, Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))));
    }
    for (int i = 0; i < services; i++) {
      String zone = i % 3 == 0 ? "lab.minilb." : "minilb.";
      String owner =
          switch (i % 7) {
            case 0 -> "Svc" + i + ".NS" + (i % 5) + "." + zone;
            case 1 -> "s\\." + i + ".ns" + (i % 5) + "." + zone;
            case 2 -> "s\\032" + i + ".a.b.c.ns" + (i % 5) + "." + zone;
            case 3 -> "*.w" + i + "." + zone;
            default -> "svc" + i + ".ns" + (i % 50) + "." + zone;
          };
      var a = new ArrayList<Rdata>();
      int endpoints = 1 + random.nextInt(4);
      for (int j = 0; j < endpoints; j++) {
        a.add(Rdata.of(new byte[] {10, (byte) (i >> 8), (byte) i, (byte) (j + 1)}));
        String ep = "ep" + j + "." + owner;
        sets.add(new RRSet(ep, Type.A, 5, List.of(a.get(j))));
      }
      sets.add(new RRSet(owner, Type.A, 5, a));
      if (i % 4 == 0) {
        byte[] v6 = new byte[16];
        v6[0] = (byte) 0xfd;
        v6[15] = (byte) i;
        sets.add(new RRSet(owner, Type.AAAA, 5, List.of(Rdata.of(v6))));
      }
      if (i % 5 == 0) {
        var txt = new TXTRecord(Name.root, DClass.IN, 5, "service " + i);
        sets.add(new RRSet(owner, Type.TXT, 5, List.of(Rdata.of(txt.rdataToWireCanonical()))));
      }
      var srv = new ArrayList<Rdata>();
      for (int j = 0; j < endpoints; j++) {
        var r =
            new SRVRecord(
                Name.root, DClass.IN, 5, 0, 1, 8080, Name.fromString("ep" + j + "." + owner));
        srv.add(Rdata.of(r.rdataToWireCanonical()));
      }
      sets.add(new RRSet("_http._tcp." + owner, Type.SRV, 5, srv));
    }
    return new Snapshot(V, List.of("minilb.", "lab.minilb."), sets);
  }
}
