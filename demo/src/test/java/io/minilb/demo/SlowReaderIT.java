package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.it.Dig;
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The shipped resolver against TCP clients that pipeline far more queries than they read: their
 * answers must not pile up in the resolver's memory, and UDP and other TCP clients stay served.
 */
class SlowReaderIT {

  @TempDir Path dir;

  @Test
  void clientsThatPipelineMegabytesAndReadSlowly_neverStopTheOtherClientsAnswers()
      throws Exception {
    Path file = dir.resolve("snapshot.pb");
    new SnapshotFile(file).write(snapshotWithA200RecordAaaaSet());
    ExecutorService attackers = Executors.newCachedThreadPool();
    var sockets = new ArrayList<Socket>();
    try (var r =
        ShippedResolver.start(
            dir, "--controller", "127.0.0.1:1", "--snapshot-file", file.toString())) {
      byte[] burst = pipelined(1_000);
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket("127.0.0.1", r.dnsPort());
        sockets.add(s);
        attackers.submit(() -> readSlowly(s.getInputStream()));
        attackers.submit(() -> writeBursts(s.getOutputStream(), burst, 200)); // 7.6 MB each
      }
      Thread.sleep(3_000); // let the answers back up

      int answered = 0;
      for (int i = 0; i < 10; i++) {
        Dig udp = Dig.run("dig", r.dnsPort(), "big.default.minilb.", "AAAA");
        if ("NOERROR".equals(udp.status())) {
          answered++;
        }
      }
      Dig tcp = Dig.run("dig", r.dnsPort(), "+tcp", "big.default.minilb.", "AAAA");

      assertThat(answered).as("UDP answers during the attack").isEqualTo(10);
      assertThat(tcp.status()).as("a well-behaved TCP client").isEqualTo("NOERROR");
      assertThat(r.process.isAlive()).isTrue();
      assertThat(r.logText()).doesNotContain("OutOfMemoryError");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      attackers.shutdownNow();
      attackers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static Void readSlowly(InputStream in) throws Exception {
    byte[] b = new byte[200];
    while (in.read(b) >= 0) {
      Thread.sleep(2);
    }
    return null;
  }

  private static Void writeBursts(OutputStream out, byte[] burst, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      out.write(burst);
    }
    return null;
  }

  /** {@code n} length-framed AAAA queries, each answered with a window of 32 records. */
  private static byte[] pipelined(int n) throws Exception {
    byte[] q =
        Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    Name.fromString("big.default.minilb."), Type.AAAA, DClass.IN))
            .toWire();
    var bytes = new ByteArrayOutputStream();
    var out = new DataOutputStream(bytes);
    for (int i = 0; i < n; i++) {
      out.writeShort(q.length);
      out.write(q);
    }
    return bytes.toByteArray();
  }

  private static Snapshot snapshotWithA200RecordAaaaSet() {
    Name apex = Name.fromConstantString("minilb.");
    Name ns = Name.fromConstantString("ns.minilb.");
    var soa =
        new SOARecord(
            apex,
            DClass.IN,
            5,
            ns,
            Name.fromConstantString("hostmaster.minilb."),
            1,
            60,
            30,
            3600,
            5);
    var sets = new ArrayList<RRSet>();
    sets.add(new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))));
    sets.add(
        new RRSet(
            "minilb.",
            Type.NS,
            5,
            List.of(Rdata.of(new NSRecord(apex, DClass.IN, 5, ns).rdataToWireCanonical()))));
    var big = new ArrayList<Rdata>();
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[16];
      b[0] = (byte) 0xfd;
      b[14] = (byte) (i >> 8);
      b[15] = (byte) i;
      big.add(Rdata.of(b));
    }
    sets.add(new RRSet("big.default.minilb.", Type.AAAA, 5, big));
    return new Snapshot(new Version(1, 1), List.of("minilb."), sets);
  }
}
