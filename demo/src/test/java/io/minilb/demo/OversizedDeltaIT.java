package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.proto.Messages;
import io.minilb.proto.v1.WatchRequest;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.resolver.it.Dig;
import io.minilb.resolver.sync.FakeController;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The shipped resolver against a controller that sends a 24 MiB delta of empty removals: two bytes
 * each on the wire, some forty bytes each as parsed objects, more than the resolver's heap. Parsed,
 * it made the resolver exit on OutOfMemoryError and crash-loop on the same message; now it is
 * refused unread, the held data keeps answering, and the resolver asks for a full snapshot.
 */
class OversizedDeltaIT {

  /** Over the heap once parsed, within what the resolver reads ({@code MAX_RESPONSE_BYTES}). */
  private static final int SIZE = 24 << 20;

  @TempDir Path dir;

  private FakeController controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void a24MiBDelta_isRefused_theHeldDataKeepsAnswering_andAFullSnapshotIsAskedFor()
      throws Exception {
    controller = new FakeController();
    Snapshot good = snapshot(1, new byte[] {10, (byte) 244, 0, 1});
    try (var r =
        ShippedResolver.start(
            dir, "--controller", controller.target(), "--node-name", "oversized-delta-it")) {
      assertThat(next().hasSubscribe()).isTrue();
      send(WatchResponse.newBuilder().setSnapshot(Messages.toProto(good)).build().toByteArray());
      assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(good.version()));

      send(emptyRemovals(SIZE));
      WatchRequest after = next();

      assertThat(after.hasSubscribe()).as("subscribed again: %s", after).isTrue();
      assertThat(after.getSubscribe().hasHave())
          .as("for a full snapshot:\n%s", r.logText())
          .isFalse();
      assertThat(r.process.isAlive()).isTrue();
      assertThat(Dig.run("dig", r.dnsPort(), "web.default.minilb.", "A").answer())
          .singleElement()
          .asString()
          .endsWith("10.244.0.1");
      assertThat(r.logText())
          .contains("refused a " + (SIZE + 5) + "-byte response")
          .doesNotContain("OutOfMemoryError");

      Snapshot newer = snapshot(2, new byte[] {10, (byte) 244, 0, 2});
      send(WatchResponse.newBuilder().setSnapshot(Messages.toProto(newer)).build().toByteArray());
      assertThat(next().getAck().getVersion()).isEqualTo(Messages.toProto(newer.version()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> Dig.run("dig", r.dnsPort(), "web.default.minilb.", "A").answer(),
              a -> a.size() == 1 && a.get(0).endsWith("10.244.0.2"));
    }
  }

  /**
   * A delta response of {@code body + 5} bytes: the delta field's tag, its length as a four-byte
   * varint, and {@code body} (even) bytes of empty removals ({@code 2a 00}).
   */
  private static byte[] emptyRemovals(int body) {
    byte[] wire = new byte[body + 5];
    wire[0] = 0x12; // field 2, length-delimited: the delta
    for (int i = 0; i < 4; i++) {
      wire[1 + i] = (byte) ((body >>> (7 * i)) & 0x7f | (i < 3 ? 0x80 : 0));
    }
    for (int at = 5; at < wire.length; at += 2) {
      wire[at] = 0x2a; // field 5, length-delimited: an empty removal
    }
    return wire;
  }

  private static Snapshot snapshot(long sequence, byte[] web) throws IOException {
    Name apex = Name.fromConstantString("minilb.");
    Name ns = Name.fromConstantString("ns.minilb.");
    var soa = new SOARecord(apex, DClass.IN, 5, ns, ns, sequence, 60, 30, 3600, 5);
    var nsRecord = new NSRecord(apex, DClass.IN, 5, ns);
    return new Snapshot(
        new Version(7, sequence),
        List.of("minilb."),
        List.of(
            new RRSet("minilb.", Type.SOA, 5, List.of(Rdata.of(soa.rdataToWireCanonical()))),
            new RRSet("minilb.", Type.NS, 5, List.of(Rdata.of(nsRecord.rdataToWireCanonical()))),
            new RRSet("web.default.minilb.", Type.A, 5, List.of(Rdata.of(web)))));
  }

  private WatchRequest next() throws InterruptedException {
    return controller.next(Duration.ofSeconds(30));
  }

  private void send(byte[] response) {
    controller.send(response);
  }
}
