package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** A set's records in its one array: each comes back whole, whatever the lengths around it. */
class RecordSetTest {

  private static final Name OWNER = Name.fromConstantString("web.default.minilb.");

  @Test
  void records_ofDifferentLengths_comeBackAsStored() {
    var rdata = new ArrayList<Rdata>();
    for (int i = 0; i < 40; i++) {
      // Lengths from 2 to several hundred bytes, so some cross the one-byte boundary of a length.
      var txt = new TXTRecord(OWNER, DClass.IN, 5, List.of("x".repeat(i * 5), "y".repeat(i * 3)));
      rdata.add(Rdata.of(txt.rdataToWireCanonical()));
    }
    var set = RecordSet.validated(OWNER, new RRSet(OWNER.toString(), Type.TXT, 5, rdata));

    assertThat(set.size()).isEqualTo(40);
    assertThat(set.toRRSet(OWNER.toString()).rdata()).containsExactlyElementsOf(rdata);
    List<Record> records = set.records(OWNER);
    for (int i = 0; i < rdata.size(); i++) {
      byte[] want = rdata.get(i).toByteArray();
      assertThat(set.rdataLength(i)).isEqualTo(want.length);
      var out = new byte[want.length + 3];
      assertThat(set.copyRdata(i, out, 3)).isEqualTo(out.length);
      assertThat(java.util.Arrays.copyOfRange(out, 3, out.length)).isEqualTo(want);
      assertThat(records.get(i).rdataToWireCanonical()).isEqualTo(want);
    }
  }

  @Test
  void addresses_arePackedEndToEnd_andFoundByIndex() {
    var rdata = new byte[][] {{10, 0, 0, 1}, {10, 0, 0, 2}, {10, 0, 0, 3}};
    var set = RecordSet.validated(OWNER, "web.default.minilb.", Type.A, 5, rdata);

    var out = new byte[4];
    for (int i = 0; i < 3; i++) {
      assertThat(set.rdataLength(i)).isEqualTo(4);
      set.copyRdata(i, out, 0);
      assertThat(out).isEqualTo(rdata[i]);
    }
  }

  @Test
  void anAddressOfAnotherLength_isRejected() {
    assertThatThrownBy(
            () ->
                RecordSet.validated(
                    OWNER, "web.default.minilb.", Type.AAAA, 5, new byte[][] {new byte[4]}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSetOfNoRecordsOrOverTheCap_isRejected() {
    assertThatThrownBy(
            () -> RecordSet.validated(OWNER, "web.default.minilb.", Type.A, 5, new byte[0][]))
        .isInstanceOf(IllegalArgumentException.class);
    var many = new byte[RecordSet.MAX_RECORDS + 1][];
    java.util.Arrays.fill(many, new byte[4]);
    assertThatThrownBy(() -> RecordSet.validated(OWNER, "web.default.minilb.", Type.A, 5, many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65535");
  }
}
