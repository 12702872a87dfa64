package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.it.Dig;
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The shipped resolver and its {@code --snapshot-file}, with no controller reachable: a damaged
 * file of any kind never stops it (one WARN, then SERVFAIL in the zones until synced), and a file
 * as large as the cluster input that used to exhaust the heap loads within a small one.
 */
class SnapshotFileIT {

  private static final String NO_CONTROLLER = "127.0.0.1:1";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {"threeByteA", "emptySoa", "flippedByte", "truncated", "zeroBytes", "garbage"})
  void aDamagedFile_startsTheResolverWithoutData_oneWarning_servfailInTheZone(String damage)
      throws Exception {
    Path file = dir.resolve("snapshot.pb");
    damaged(damage, file);

    try (var r =
        ShippedResolver.start(
            dir, "--controller", NO_CONTROLLER, "--snapshot-file", file.toString())) {
      Dig d = Dig.run("dig", r.dnsPort(), "web.default.minilb.", "A");

      assertThat(d.status()).isEqualTo("SERVFAIL");
      assertThat(r.process.isAlive()).isTrue();
      List<String> about =
          r.logText().lines().filter(l -> l.contains(file.getFileName().toString())).toList();
      assertThat(about).singleElement().asString().contains("WARN");
    }
  }

  @Test
  void aFileWith25kHostZonesAndA5kEndpointService_loadsIn64m_andAnswers() throws Exception {
    Path file = dir.resolve("snapshot.pb");
    var sets = new ArrayList<RRSet>();
    var zones = new ArrayList<String>(List.of("minilb."));
    sets.add(soa("minilb."));
    sets.add(ns("minilb."));
    var big = new ArrayList<Rdata>();
    for (int i = 0; i < 5_000; i++) {
      byte[] ip = {10, (byte) (100 + i / 65536), (byte) (i / 256), (byte) i};
      big.add(Rdata.of(ip));
      sets.add(new RRSet("ep-" + i + ".big.default.minilb.", Type.A, 5, List.of(Rdata.of(ip))));
    }
    sets.add(new RRSet("big.default.minilb.", Type.A, 5, big));
    List<Rdata> shop =
        List.of(
            Rdata.of(new byte[] {10, (byte) 244, 0, 1}),
            Rdata.of(new byte[] {10, (byte) 244, 1, 1}));
    sets.add(new RRSet("shop.default.minilb.", Type.A, 5, shop));
    for (int i = 0; i < 25_000; i++) {
      String host = "h" + i + ".shop.example.com.";
      zones.add(host);
      sets.add(soa(host));
      sets.add(ns(host));
      sets.add(new RRSet(host, Type.A, 5, shop));
    }
    new SnapshotFile(file).write(new Snapshot(new Version(1, 1), zones, sets));

    try (var r =
        ShippedResolver.startWithHeap(
            dir, "64m", "--controller", NO_CONTROLLER, "--snapshot-file", file.toString())) {
      Dig bigAnswer = Dig.run("dig", r.dnsPort(), "big.default.minilb.", "A");
      Dig host = Dig.run("dig", r.dnsPort(), "h24999.shop.example.com.", "A");
      Dig none = Dig.run("dig", r.dnsPort(), "nope.shop.example.com.", "A");
      Dig other = Dig.run("dig", r.dnsPort(), "shop.default.minilb.", "A");

      assertThat(bigAnswer.answer()).hasSizeBetween(1, 32);
      assertThat(host.answer()).hasSize(2);
      assertThat(none.status()).isEqualTo("REFUSED"); // not in any zone: the host is the apex
      assertThat(other.answer()).hasSize(2);
      assertThat(r.process.isAlive()).isTrue();
      assertThat(r.logText()).contains("loaded snapshot").doesNotContain("OutOfMemoryError");
    }
  }

  /** Writes a snapshot file damaged the way {@code damage} names. */
  private static void damaged(String damage, Path file) throws Exception {
    var good = List.of(soa("minilb."), ns("minilb."), a("web.default.minilb.", 10, 244, 0, 1));
    Consumer<List<RRSet>> write =
        sets ->
            new SnapshotFile(file).write(new Snapshot(new Version(1, 1), List.of("minilb."), sets));
    switch (damage) {
      case "threeByteA" -> {
        var sets = new ArrayList<>(good);
        sets.add(
            new RRSet("bad.default.minilb.", Type.A, 5, List.of(Rdata.of(new byte[] {1, 2, 3}))));
        write.accept(sets);
      }
      case "emptySoa" -> {
        var sets = new ArrayList<>(good.subList(1, good.size()));
        sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(new byte[0]))));
        write.accept(sets);
      }
      case "flippedByte" -> {
        write.accept(good);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 2] ^= 0x01;
        Files.write(file, b);
      }
      case "truncated" -> {
        write.accept(good);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length / 2));
      }
      case "zeroBytes" -> Files.write(file, new byte[0]);
      case "garbage" -> {
        byte[] b = new byte[2048];
        new Random(13).nextBytes(b);
        Files.write(file, b);
      }
      default -> throw new IllegalArgumentException(damage);
    }
  }

  private static RRSet a(String name, int... octets) {
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) octets[i];
    }
    return new RRSet(name, Type.A, 5, List.of(Rdata.of(b)));
  }

  private static RRSet ns(String apex) {
    var ns =
        new org.xbill.DNS.NSRecord(
            Name.fromConstantString(apex), DClass.IN, 5, Name.fromConstantString("ns.minilb."));
    return new RRSet(apex, Type.NS, 5, List.of(Rdata.of(ns.rdataToWireCanonical())));
  }

  private static RRSet soa(String apex) {
    var soa =
        new SOARecord(
            Name.fromConstantString(apex),
            DClass.IN,
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
