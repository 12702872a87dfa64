package io.minilb.resolver.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.proto.Messages;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

public class SnapshotFileTest {

  @TempDir Path dir;

  @Test
  void write_thenLoad_roundTripsTheSnapshot_andLeavesNoTemporaryFile() throws Exception {
    var file = new SnapshotFile(dir.resolve("state/snapshot.pb"));
    Snapshot s = snapshot(7);

    file.write(s);

    assertThat(file.load()).get().extracting(l -> l.index().snapshot()).isEqualTo(s);
    try (var files = Files.list(dir.resolve("state"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("snapshot.pb");
    }
  }

  @Test
  void aCorruptFile_isReportedAndIgnored() throws Exception {
    Path p = dir.resolve("snapshot.pb");
    Files.write(p, new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});

    assertThat(new SnapshotFile(p).load()).isEmpty();
  }

  @Test
  void aParseableFileWithUnservableContent_isIgnored() throws Exception {
    Path p = dir.resolve("snapshot.pb");
    // a zone without its SOA cannot be served
    var bad =
        new Snapshot(
            new Version(1, 1),
            List.of("minilb."),
            List.of(
                new RRSet("a.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0, 1})))));
    new SnapshotFile(p).write(bad);

    assertThat(new SnapshotFile(p).load()).isEmpty();
  }

  @Test
  void everyKindOfDamage_isReportedAndIgnored() throws Exception {
    var file = new SnapshotFile(dir.resolve("snapshot.pb"));
    file.write(snapshot(7));
    byte[] good = Files.readAllBytes(file.path());
    byte[] flipped = good.clone();
    flipped[good.length - 3] ^= 0x40;
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    byte[] unframed = Messages.toProto(snapshot(7)).toByteArray(); // the format before the header

    for (byte[] bad :
        List.of(
            new byte[0],
            java.util.Arrays.copyOf(good, good.length - 5),
            java.util.Arrays.copyOf(good, 10),
            flipped,
            garbage,
            unframed)) {
      Files.write(file.path(), bad);
      assertThat(file.load()).isEmpty();
    }
  }

  @Test
  void malformedRdata_inAFileWithAValidChecksum_isIgnored() throws Exception {
    var file = new SnapshotFile(dir.resolve("snapshot.pb"));
    Snapshot good = snapshot(7);
    var threeByteA = new RRSet("bad.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0})));
    var emptySoa = new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(new byte[0])));
    var withBadA = new java.util.ArrayList<>(good.rrsets().values());
    withBadA.add(threeByteA);
    var withEmptySoa = new java.util.ArrayList<>(good.rrsets().values());
    withEmptySoa.removeIf(s -> s.type() == Type.SOA);
    withEmptySoa.add(emptySoa);

    for (var sets : List.of(withBadA, withEmptySoa)) {
      file.write(new Snapshot(good.version(), good.zones(), sets));
      assertThat(file.load()).isEmpty();
    }
  }

  @Test
  void aFileWhoseSnapshotHasNoVersion_isIgnored() throws Exception {
    var file = new SnapshotFile(dir.resolve("snapshot.pb"));
    file.write(snapshot(7));
    byte[] good = Files.readAllBytes(file.path());
    byte[] payload = Messages.toProto(snapshot(7)).toBuilder().clearVersion().build().toByteArray();
    var framed = java.nio.ByteBuffer.allocate(SnapshotFile.HEADER + payload.length);
    framed.put(good, 0, 8).putLong(payload.length);
    var crc = new java.util.zip.CRC32C();
    crc.update(payload);
    framed.putInt((int) crc.getValue()).put(payload);
    Files.write(file.path(), framed.array());

    assertThat(file.load()).isEmpty();
  }

  @Test
  void aMissingFile_isEmpty() {
    assertThat(new SnapshotFile(dir.resolve("none.pb")).load()).isEmpty();
  }

  @Test
  void theFilesAge_isTheDataAge_andPastMaxStaleItExpires() throws Exception {
    var file = new SnapshotFile(dir.resolve("snapshot.pb"));
    file.write(snapshot(3));
    long written = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    Files.setLastModifiedTime(file.path(), FileTime.fromMillis(written));
    var clock = new AtomicLong(System.currentTimeMillis());
    var fresh = new Freshness(Duration.ofMinutes(15), clock::get);
    var store = new Store(fresh);

    var loaded = file.load().orElseThrow();
    store.replace(loaded.index());
    fresh.staleSince(loaded.currentAtMillis());

    assertThat(fresh.age()).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(11));
    assertThat(fresh.expired()).isFalse();
    clock.addAndGet(Duration.ofMinutes(6).toMillis());
    assertThat(fresh.expired()).isTrue();
    fresh.current();
    assertThat(fresh.expired()).isFalse();
  }

  /**
   * A small snapshot of zone {@code minilb.} at version 42/{@code seq}; also the stream tests'
   * data.
   */
  public static Snapshot snapshot(long seq) {
    var soa =
        new org.xbill.DNS.SOARecord(
            org.xbill.DNS.Name.root,
            org.xbill.DNS.DClass.IN,
            0,
            org.xbill.DNS.Name.fromConstantString("ns.minilb."),
            org.xbill.DNS.Name.fromConstantString("h.minilb."),
            seq,
            60,
            30,
            3600,
            5);
    return new Snapshot(
        new Version(42, seq),
        List.of("minilb."),
        List.of(
            new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))),
            new RRSet(
                "web.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0, 1})))));
  }
}
