package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.proto.Messages;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class WireSnapshotTest {

  @Test
  void index_holdsWhatTheParsedSnapshotHolds() {
    Snapshot s = SnapshotFileTest.snapshot(3);
    byte[] wire = Messages.toProto(s).toByteArray();

    ZoneIndex idx = WireSnapshot.index(wire, 0, wire.length);

    assertThat(idx.snapshot()).isEqualTo(s);
    assertThat(idx.rrsetCount()).isEqualTo(2);
  }

  @Test
  void index_readsTheMessageAtItsOffset_only() {
    byte[] message = Messages.toProto(SnapshotFileTest.snapshot(4)).toByteArray();
    byte[] framed = new byte[message.length + 7];
    System.arraycopy(message, 0, framed, 5, message.length);
    framed[framed.length - 1] = (byte) 0xff; // garbage after the message is not read

    assertThat(WireSnapshot.index(framed, 5, message.length).snapshot())
        .isEqualTo(SnapshotFileTest.snapshot(4));
  }

  @Test
  void index_keepsZonesCanonicalAndSorted_asTheModelDoes() {
    var proto =
        Messages.toProto(SnapshotFileTest.snapshot(5)).toBuilder()
            .clearZones()
            .addZones("MiniLB.")
            .build();
    byte[] wire = proto.toByteArray();

    assertThat(WireSnapshot.index(wire, 0, wire.length).zones())
        .isEqualTo(Messages.fromProto(proto).zones())
        .containsExactly("minilb.");
  }

  @Test
  void index_whenAnRRsetRepeats_rejectsTheSnapshot_asTheModelDoes() {
    var twice =
        Messages.toProto(SnapshotFileTest.snapshot(6)).toBuilder()
            .addRrsets(
                Messages.toProto(
                    new RRSet(
                        "web.default.minilb.",
                        Type.A,
                        5,
                        List.of(Rdata.of(new byte[] {10, 0, 0, 2})))))
            .build()
            .toByteArray();

    assertThatThrownBy(() -> WireSnapshot.index(twice, 0, twice.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate");
  }

  @Test
  void index_whenTheMessageIsTruncated_rejectsIt() {
    byte[] wire = Messages.toProto(SnapshotFileTest.snapshot(7)).toByteArray();

    assertThatThrownBy(() -> WireSnapshot.index(wire, 0, wire.length - 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void index_whenOneRRsetCarriesMoreRecordsThanTheCap_rejectsItBeforeHoldingThemAll() {
    var huge =
        io.minilb.proto.v1.RRSet.newBuilder()
            .setName("web.default.minilb.")
            .setType(Type.A)
            .setTtl(5);
    var one = com.google.protobuf.ByteString.copyFrom(new byte[] {10, 0, 0, 1});
    for (int i = 0; i <= WireSnapshot.MAX_RDATA_PER_RRSET; i++) {
      huge.addRdata(one);
    }
    byte[] wire =
        Messages.toProto(SnapshotFileTest.snapshot(7)).toBuilder()
            .addRrsets(huge)
            .build()
            .toByteArray();

    assertThatThrownBy(() -> WireSnapshot.index(wire, 0, wire.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 65535 records");
  }

  @Test
  void index_whenAnRRsetHasType0_rejectsTheSnapshot() {
    byte[] wire =
        Messages.toProto(SnapshotFileTest.snapshot(7)).toBuilder()
            .addRrsets(
                io.minilb.proto.v1.RRSet.newBuilder()
                    .setName("zero.default.minilb.")
                    .setType(0)
                    .setTtl(5)
                    .addRdata(com.google.protobuf.ByteString.copyFrom(new byte[] {1})))
            .build()
            .toByteArray();

    assertThatThrownBy(() -> WireSnapshot.index(wire, 0, wire.length))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad RR type 0");
  }
}
