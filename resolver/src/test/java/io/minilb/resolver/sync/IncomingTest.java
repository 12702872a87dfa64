package io.minilb.resolver.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.proto.Messages;
import io.minilb.proto.v1.Delta;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.store.WireSnapshot;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class IncomingTest {

  static final Snapshot SNAPSHOT =
      new Snapshot(
          new Version(9, 1),
          List.of("minilb."),
          List.of(
              new RRSet(
                  "minilb.",
                  Type.SOA,
                  5,
                  List.of(
                      Rdata.of(
                          new SOARecord(
                                  Name.root,
                                  DClass.IN,
                                  0,
                                  Name.fromConstantString("ns.minilb."),
                                  Name.fromConstantString("h.minilb."),
                                  1,
                                  60,
                                  30,
                                  3600,
                                  5)
                              .rdataToWireCanonical()))),
              new RRSet("a.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0, 1})))));

  @Test
  void aSnapshotResponse_staysInWireForm_andIndexesToTheSameSnapshot() {
    byte[] wire =
        WatchResponse.newBuilder().setSnapshot(Messages.toProto(SNAPSHOT)).build().toByteArray();

    Incoming in = parse(wire);

    assertThat(in.parsed()).isNull();
    assertThat(WireSnapshot.index(in.snapshot(), in.offset(), in.length()).snapshot())
        .isEqualTo(SNAPSHOT);
  }

  @Test
  void aDeltaResponse_isParsed() {
    var delta =
        WatchResponse.newBuilder()
            .setDelta(
                Delta.newBuilder()
                    .setBase(Messages.toProto(new Version(9, 1)))
                    .setVersion(Messages.toProto(new Version(9, 2))))
            .build();

    Incoming in = parse(delta.toByteArray());

    assertThat(in.snapshot()).isNull();
    assertThat(in.parsed()).isEqualTo(delta);
  }

  @Test
  void aSnapshotSentInTwoParts_isParsedWhole_asProtobufMergesThem() {
    byte[] one =
        WatchResponse.newBuilder().setSnapshot(Messages.toProto(SNAPSHOT)).build().toByteArray();
    byte[] two = new byte[2 * one.length];
    System.arraycopy(one, 0, two, 0, one.length);
    System.arraycopy(one, 0, two, one.length, one.length);

    Incoming in = parse(two);

    assertThat(in.snapshot()).isNull();
    assertThat(in.parsed().hasSnapshot()).isTrue();
  }

  private static Incoming parse(byte[] bytes) {
    return Incoming.WATCH.parseResponse(new ByteArrayInputStream(bytes));
  }
}
