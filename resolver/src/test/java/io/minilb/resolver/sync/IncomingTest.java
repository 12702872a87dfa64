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
import java.util.HexFormat;
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

  @Test
  void aDeltaOverTheLimit_isNotParsed_andOneAtTheLimitIs() {
    // Empty removals: two bytes each on the wire, an object of some forty bytes each once parsed.
    byte[] over = removals(Messages.MAX_DELTA_BYTES + 1);
    byte[] at = removals(Messages.MAX_DELTA_BYTES);

    Incoming refused = parse(over);
    Incoming read = parse(at);

    assertThat(refused.unread()).contains("over the");
    assertThat(refused.size()).isEqualTo(over.length);
    assertThat(read.unread()).isNull();
    assertThat(read.parsed().getDelta().getRemovalsCount()).isPositive();
  }

  @Test
  void aSnapshotSentInPartsOverTheLimit_isNotParsed() {
    byte[] part = new byte[] {0x0a, 0x00}; // an empty snapshot field
    byte[] parts = new byte[Messages.MAX_DELTA_BYTES + 2];
    for (int i = 0; i < parts.length; i += 2) {
      System.arraycopy(part, 0, parts, i, 2);
    }

    assertThat(parse(parts).unread()).isNotNull();
  }

  @Test
  void aDeltaWithFieldsTheResolverDoesNotKnow_isNotParsed() {
    // protobuf keeps unknown fields, an empty group as a whole UnknownFieldSet: these parse into
    // dozens of times their size. Each is one removal (2a LEN ...) inside a delta (12 LEN ...).
    for (String removal :
        List.of(
            "2a041b0b0c1c", // two nested empty groups
            "2a021800", // an unknown varint field
            "2a021200" // the type field as bytes, not a varint
            )) {
      byte[] body = HexFormat.of().parseHex(removal);
      byte[] wire = new byte[body.length + 2];
      wire[0] = 0x12;
      wire[1] = (byte) body.length;
      System.arraycopy(body, 0, wire, 2, body.length);

      assertThat(parse(wire).unread()).as(removal).isNotNull();
    }
    // A group at the top level, and an unknown field of the response.
    assertThat(parse(HexFormat.of().parseHex("1b0b0c1c")).unread()).isNotNull();
    assertThat(parse(HexFormat.of().parseHex("1800")).unread()).isNotNull();
  }

  @Test
  void aDeltaOfEveryKnownField_isParsed() {
    var delta =
        WatchResponse.newBuilder()
            .setDelta(
                Messages.toProto(
                    new io.minilb.snapshot.Delta(
                        new Version(9, 1),
                        new Version(9, 2),
                        List.of("minilb."),
                        List.copyOf(SNAPSHOT.rrsets().values()),
                        List.of(new io.minilb.snapshot.RRKey("b.minilb.", Type.A)))))
            .build();

    Incoming in = parse(delta.toByteArray());

    assertThat(in.unread()).isNull();
    assertThat(in.parsed()).isEqualTo(delta);
  }

  /**
   * A delta response of exactly {@code size} bytes (at least 64 KiB, under 2 MiB), written by hand:
   * the delta field's tag and three-byte length, then empty removals ({@code 2a 00}), led by one
   * removal named "x" ({@code 2a 03 0a 01 78}) when the body's length is odd.
   */
  static byte[] removals(int size) {
    int body = size - 4;
    byte[] wire = new byte[size];
    wire[0] = 0x12; // field 2, length-delimited: the delta
    wire[1] = (byte) (0x80 | (body & 0x7f));
    wire[2] = (byte) (0x80 | ((body >>> 7) & 0x7f));
    wire[3] = (byte) (body >>> 14);
    int at = 4;
    if (body % 2 == 1) {
      System.arraycopy(new byte[] {0x2a, 0x03, 0x0a, 0x01, 0x78}, 0, wire, at, 5);
      at += 5;
    }
    for (; at < size; at += 2) {
      wire[at] = 0x2a; // field 5, length-delimited: a removal
    }
    return wire;
  }

  private static Incoming parse(byte[] bytes) {
    return Incoming.WATCH.parseResponse(new ByteArrayInputStream(bytes));
  }
}
