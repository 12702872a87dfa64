package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.minilb.proto.Messages;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link WireSnapshot} against the generated parser and the model conversion, on hand-made edge
 * cases of the wire format and on thousands of mutations of valid snapshots: for every input both
 * give the same index, or both reject it.
 */
class WireSnapshotParityTest {

  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int START = WireFormat.WIRETYPE_START_GROUP;
  private static final int END = WireFormat.WIRETYPE_END_GROUP;
  private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;

  /** What the generated path makes of {@code bytes}: the snapshot indexed, or empty if rejected. */
  private static Optional<Snapshot> generated(byte[] bytes) {
    try {
      var proto = io.minilb.proto.v1.Snapshot.parseFrom(bytes);
      return Optional.of(ZoneIndex.of(Messages.fromProto(proto)).snapshot());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** What {@link WireSnapshot} makes of it; anything but a rejection's exception fails the test. */
  private static Optional<Snapshot> wire(byte[] bytes) {
    try {
      return Optional.of(WireSnapshot.index(bytes, 0, bytes.length).snapshot());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void assertSame(byte[] bytes) {
    assertThat(wire(bytes))
        .as("wire %s", HexFormat.of().formatHex(bytes))
        .isEqualTo(generated(bytes));
  }

  // ---- hand-made cases ------------------------------------------------------------------------

  @Test
  void index_whenTheVersionAppearsTwice_mergesThem_asProtobufDoes() {
    byte[] bytes =
        valid().message(1, new Wire().fixed64(1, 7)).message(1, new Wire().varint(2, 9)).bytes();

    assertThat(wire(bytes).map(Snapshot::version)).contains(new Version(7, 9));
    assertSame(bytes);
  }

  @Test
  void index_whenTheVersionIsSplit_laterFieldsWin_earlierOnesStay() {
    byte[] bytes =
        new Wire()
            .message(1, new Wire().fixed64(1, 7).varint(2, 3))
            .raw(body())
            .message(1, new Wire().varint(2, 4))
            .bytes();

    assertThat(wire(bytes).map(Snapshot::version)).contains(new Version(7, 4));
    assertSame(bytes);
  }

  @Test
  void index_whenTheVersionIsAbsent_rejectsIt_asTheModelConversionDoes() {
    byte[] bytes = new Wire().raw(body()).bytes();

    assertThat(wire(bytes)).isEmpty();
    assertSame(bytes);
    assertThat(wire(new byte[0])).as("an empty message").isEmpty();
    assertSame(new byte[0]);
  }

  @Test
  void index_whenTheVersionIsPresentButEmpty_isVersionZero_asTheGeneratedParserGives() {
    byte[] bytes = new Wire().message(1, new Wire()).raw(body()).bytes();

    assertThat(wire(bytes).map(Snapshot::version)).contains(new Version(0, 0));
    assertSame(bytes);
  }

  @Test
  void index_whenAKnownFieldNumberHasAnotherWireType_skipsItAsUnknown() {
    assertSame(valid().varint(1, 5).bytes()); // version as a varint
    assertSame(valid().fixed64(2, 5).bytes()); // a zone as fixed64
    assertSame(valid().varint(2, 5).bytes());
    assertSame(valid().fixed32(3, 5).bytes()); // an RRset as fixed32
    assertSame(valid().group(3, new Wire().varint(1, 1)).bytes()); // an RRset as a group
    assertSame(valid().message(1, new Wire().varint(1, 99)).bytes()); // epoch as a varint
    assertSame(valid().message(1, new Wire().fixed64(2, 99)).bytes()); // sequence as fixed64
    assertSame(withRRset(new Wire().string(1, "web.default.minilb.").varint(1, 3)));
    assertSame(withRRset(aRecord().message(2, new Wire().varint(1, 1)))); // type as bytes
    assertSame(withRRset(aRecord().fixed32(3, 60))); // ttl as fixed32
    assertSame(withRRset(aRecord().varint(4, 10))); // rdata as a varint
  }

  @Test
  void index_whenAScalarIsPacked_skipsItAsUnknown_forItIsNotRepeated() {
    var packed = new Wire().varint(0, 1).varint(0, 28);
    assertSame(withRRset(aRecord().len(2, packed.bytes())));
  }

  @Test
  void index_skipsUnknownFieldsOfEveryWireType_atEveryLevel() {
    for (int field : new int[] {5, 15, 16, 2047, 536_870_911}) {
      var unknown =
          new Wire()
              .varint(field, Long.MAX_VALUE)
              .fixed64(field, -1)
              .len(field, new byte[] {1, 2, 3})
              .group(field, new Wire().varint(1, 1).group(2, new Wire().fixed32(3, 4)))
              .fixed32(field, 7);
      assertSame(valid().raw(unknown.bytes()).bytes());
      assertSame(
          new Wire().message(1, new Wire().raw(unknown.bytes()).fixed64(1, 3)).raw(body()).bytes());
      assertSame(withRRset(aRecord().raw(unknown.bytes())));
    }
  }

  @Test
  void index_whenTheWireIsBroken_rejectsItWhereTheGeneratedParserDoes() {
    byte[] valid = valid().bytes();
    var cases = new ArrayList<byte[]>();
    cases.add(new Wire().raw(valid).raw(0x80).bytes()); // a truncated tag
    cases.add(new Wire().raw(valid).tag(9, VARINT).raw(0xff, 0xff).bytes()); // a truncated varint
    cases.add(new Wire().raw(valid).tag(9, VARINT).raw(new byte[11]).bytes()); // ok as zeros
    cases.add(tenByteVarint(valid));
    cases.add(new Wire().raw(valid).tag(9, FIXED64).raw(1, 2, 3).bytes()); // a truncated fixed64
    cases.add(new Wire().raw(valid).tag(9, LEN).raw(0x7f, 1).bytes()); // a length past the end
    cases.add(new Wire().raw(valid).tag(3, LEN).raw(0xff, 0xff, 0xff, 0xff, 0x0f).bytes()); // -1
    cases.add(new Wire().raw(valid).tag(2, LEN).raw(2, 0xc3, 0x28).bytes()); // a zone not UTF-8
    cases.add(new Wire().raw(valid).tag(9, END).bytes()); // an end-group tag alone
    cases.add(new Wire().raw(valid).tag(9, START).tag(8, END).bytes()); // the wrong end-group
    cases.add(new Wire().raw(valid).tag(9, START).bytes()); // a group never ended
    cases.add(new Wire().raw(valid).tag(9, 6).raw(0).bytes()); // wire type 6
    cases.add(new Wire().raw(valid).tag(9, 7).raw(0).bytes()); // wire type 7
    cases.add(new Wire().raw(valid).raw(0).bytes()); // field number 0
    cases.add(new Wire().raw(valid).message(1, new Wire().tag(9, END)).bytes());
    cases.add(withRRset(aRecord().tag(9, END)));
    cases.add(withRRset(aRecord().tag(2, VARINT).raw(0x80)));
    cases.add(withRRset(aRecord().tag(1, LEN).raw(2, 0xff, 0xfe))); // a name not UTF-8
    cases.add(withRRset(aRecord().tag(4, LEN).raw(9, 1))); // rdata past the RRset's end
    for (byte[] bytes : cases) {
      assertSame(bytes);
    }
  }

  @Test
  void index_limitsNestedGroupsAtTheDepthsTheGeneratedParserDoes() {
    for (int depth = 95; depth <= 102; depth++) {
      var nested = new Wire().varint(1, 1);
      for (int i = 0; i < depth; i++) {
        nested = new Wire().group(9, nested);
      }
      assertSame(valid().raw(nested.bytes()).bytes());
      assertSame(valid().message(1, new Wire().raw(nested.bytes())).bytes());
      assertSame(withRRset(aRecord().raw(nested.bytes())));
    }
  }

  // ---- mutation fuzz --------------------------------------------------------------------------

  static List<Long> seeds() {
    return List.of(1L, 2L, 3L, 42L, 20_261_202L);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void index_onMutatedSnapshots_agreesWithTheGeneratedParser(long seed) {
    var random = new Random(seed);
    List<byte[]> originals =
        List.of(
            Messages.toProto(SnapshotFileTest.snapshot(seed)).toByteArray(),
            Messages.toProto(rich(seed)).toByteArray(),
            withRRset(aRecord().varint(20, 1).group(21, new Wire().fixed32(1, 2))));
    int accepted = 0;
    for (int i = 0; i < 4_000; i++) {
      byte[] original = originals.get(random.nextInt(originals.size()));
      byte[] mutant = original;
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        mutant = mutate(mutant, random);
      }
      assertSame(mutant);
      accepted += generated(mutant).isPresent() ? 1 : 0;
    }
    // The loop is only worth something if mutants get past the parser now and then.
    assertThat(accepted).isGreaterThan(100);
  }

  private static byte[] mutate(byte[] in, Random random) {
    if (in.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(in.length);
    return switch (random.nextInt(7)) {
      case 0 -> { // flip one bit
        byte[] out = in.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        yield out;
      }
      case 1 -> { // replace one byte
        byte[] out = in.clone();
        out[at] = (byte) random.nextInt(256);
        yield out;
      }
      case 2 -> { // insert one byte
        byte[] out = new byte[in.length + 1];
        System.arraycopy(in, 0, out, 0, at);
        out[at] = (byte) random.nextInt(256);
        System.arraycopy(in, at, out, at + 1, in.length - at);
        yield out;
      }
      case 3 -> { // delete a few bytes
        int n = Math.min(in.length - at, 1 + random.nextInt(4));
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        yield out;
      }
      case 4 -> Arrays.copyOf(in, at); // truncate
      case 5 -> { // repeat a slice (a field, often: this splits and duplicates messages)
        int n = Math.min(in.length - at, 1 + random.nextInt(24));
        byte[] out = Arrays.copyOf(in, in.length + n);
        System.arraycopy(in, at, out, in.length, n);
        yield out;
      }
      default -> { // append a whole unknown or known-number field of a random wire type
        int field = 1 + random.nextInt(6);
        var extra =
            switch (random.nextInt(5)) {
              case 0 -> new Wire().varint(field, random.nextLong());
              case 1 -> new Wire().fixed64(field, random.nextLong());
              case 2 -> new Wire().len(field, new byte[random.nextInt(4)]);
              case 3 -> new Wire().group(field, new Wire().varint(1, 1));
              default -> new Wire().fixed32(field, random.nextInt());
            };
        yield new Wire().raw(in).raw(extra.bytes()).bytes();
      }
    };
  }

  // ---- building messages ----------------------------------------------------------------------

  /** A valid snapshot: version, zone and RRsets. */
  private static Wire valid() {
    return new Wire().raw(Messages.toProto(SnapshotFileTest.snapshot(3)).toByteArray());
  }

  /** A valid snapshot without its version: zone and RRsets. */
  private static byte[] body() {
    return Messages.toProto(SnapshotFileTest.snapshot(3)).toBuilder()
        .clearVersion()
        .build()
        .toByteArray();
  }

  private static Wire aRecord() {
    return new Wire()
        .string(1, "web.other.minilb.")
        .varint(2, Type.A)
        .varint(3, 5)
        .len(4, new byte[] {10, 0, 0, 9});
  }

  private static byte[] withRRset(Wire rrset) {
    return valid().message(3, rrset).bytes();
  }

  private static byte[] tenByteVarint(byte[] valid) {
    var w = new Wire().raw(valid).tag(9, VARINT);
    for (int i = 0; i < 10; i++) {
      w.raw(0xff);
    }
    return w.raw(0x01).bytes();
  }

  /** A snapshot with more record types than {@link SnapshotFileTest#snapshot}. */
  private static Snapshot rich(long seq) {
    try {
      var base = SnapshotFileTest.snapshot(seq);
      var rrsets = new ArrayList<>(base.rrsets().values());
      var owner = Name.fromConstantString("api.default.minilb.");
      rrsets.add(
          new RRSet(
              "api.default.minilb.",
              Type.AAAA,
              5,
              List.of(
                  Rdata.of(
                      new AAAARecord(owner, DClass.IN, 5, InetAddress.getByName("fd00::1"))
                          .rdataToWireCanonical()))));
      rrsets.add(
          new RRSet(
              "api.default.minilb.",
              Type.TXT,
              5,
              List.of(Rdata.of(new TXTRecord(owner, DClass.IN, 5, "v=1").rdataToWireCanonical()))));
      rrsets.add(
          new RRSet(
              "_http._tcp.api.default.minilb.",
              Type.SRV,
              5,
              List.of(
                  Rdata.of(
                      new SRVRecord(owner, DClass.IN, 5, 0, 0, 80, owner).rdataToWireCanonical()),
                  Rdata.of(
                      new SRVRecord(owner, DClass.IN, 5, 0, 0, 81, owner)
                          .rdataToWireCanonical()))));
      return new Snapshot(base.version(), base.zones(), rrsets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Protobuf wire bytes written field by field, well formed or not. */
  private static final class Wire {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    Wire tag(int field, int wireType) {
      return write(() -> out.writeUInt32NoTag(field << 3 | wireType));
    }

    Wire varint(int field, long value) {
      return tag(field, VARINT).write(() -> out.writeUInt64NoTag(value));
    }

    Wire fixed64(int field, long value) {
      return tag(field, FIXED64).write(() -> out.writeFixed64NoTag(value));
    }

    Wire fixed32(int field, int value) {
      return tag(field, FIXED32).write(() -> out.writeFixed32NoTag(value));
    }

    Wire len(int field, byte[] value) {
      return tag(field, LEN).write(() -> out.writeByteArrayNoTag(value));
    }

    Wire string(int field, String value) {
      return tag(field, LEN).write(() -> out.writeStringNoTag(value));
    }

    Wire message(int field, Wire value) {
      return len(field, value.bytes());
    }

    Wire group(int field, Wire value) {
      return tag(field, START).raw(value.bytes()).tag(field, END);
    }

    Wire raw(byte[] bytes) {
      return write(() -> out.writeRawBytes(bytes));
    }

    Wire raw(int... bytes) {
      byte[] b = new byte[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        b[i] = (byte) bytes[i];
      }
      return raw(b);
    }

    byte[] bytes() {
      write(() -> {});
      return buffer.toByteArray();
    }

    private Wire write(IoStep step) {
      try {
        step.run();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    private interface IoStep {
      void run() throws IOException;
    }
  }
}
