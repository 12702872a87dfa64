package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends {@code minilb.fuzz.packets} (default 100,000) hostile messages to the UDP and TCP ports,
 * then checks that the server is alive, still answers correctly, and did not grow its heap without
 * bound. {@code bench/fuzz.sh} runs it with a million.
 */
class FuzzIT {

  static final int PACKETS = Integer.getInteger("minilb.fuzz.packets", 100_000);
  static final long SEED = Long.getLong("minilb.fuzz.seed", 20261125L);
  private Served server;

  @BeforeEach
  void start() throws Exception {
    var zone = new StringBuilder(RealClientIT.ZONE);
    for (int i = 1; i <= 60; i++) {
      zone.append("big.default.minilb. 5 IN A 10.244.3.").append(i).append('\n');
    }
    server =
        Served.start(
            zone.toString(),
            b ->
                b.tcpIdleTimeout(Duration.ofSeconds(2))
                    .tcpMaxConnections(256)
                    .tcpMaxPerClient(64)
                    .threads(2));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void hostilePackets_neverCrashOrHang_andValidQueriesStillAnswerCorrectly() throws Exception {
    assertCorrect();
    long heapBefore = usedHeapAfterGc();
    var fuzzer = new Fuzzer(SEED);
    int tcpShare = PACKETS / 5;
    long t0 = System.nanoTime();

    sendUdp(fuzzer, PACKETS - tcpShare);
    sendTcp(fuzzer, tcpShare);

    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    assertCorrect();
    long grown = usedHeapAfterGc() - heapBefore;
    System.out.printf(
        "fuzz: %d packets (%d UDP, %d TCP) in %d s, heap growth %d KiB%n",
        PACKETS, PACKETS - tcpShare, tcpShare, seconds, grown / 1024);
    assertThat(grown).as("heap growth after GC").isLessThan(32L << 20);
  }

  private void sendUdp(Fuzzer fuzzer, int count) throws IOException {
    try (var socket = new DatagramSocket()) {
      socket.setSoTimeout(1);
      var sink = new DatagramPacket(new byte[2048], 2048);
      for (int i = 0; i < count; i++) {
        byte[] b = fuzzer.next();
        socket.send(new DatagramPacket(b, b.length, server.address()));
        if (i % 64 == 0) {
          drain(socket, sink); // keep our own receive buffer from filling
        }
      }
    }
  }

  private static void drain(DatagramSocket socket, DatagramPacket sink) throws IOException {
    try {
      for (int j = 0; j < 64; j++) {
        socket.receive(sink);
      }
    } catch (java.net.SocketTimeoutException empty) {
      // nothing more to read
    }
  }

  private void sendTcp(Fuzzer fuzzer, int count) throws IOException {
    int sent = 0;
    while (sent < count) {
      try (var s = new Socket()) {
        s.connect(server.address(), 2_000);
        s.setSoTimeout(2_000);
        var out = new DataOutputStream(s.getOutputStream());
        int frames = 1 + fuzzer.random().nextInt(20);
        for (int f = 0; f < frames && sent < count; f++, sent++) {
          byte[] b = fuzzer.next();
          boolean lie = fuzzer.random().nextInt(50) == 0; // an oversized length prefix
          out.writeShort(lie ? 0xFFFF : b.length);
          out.write(b);
        }
        out.flush();
        s.shutdownOutput();
        s.getInputStream().readAllBytes();
      } catch (IOException closedOnUs) {
        // the server may close a connection it did not like; that is the point
      }
    }
  }

  private void assertCorrect() throws IOException {
    try (var socket = new DatagramSocket()) {
      socket.setSoTimeout(2_000);
      byte[] q = TcpIT.query(4242, "web.default.minilb.", Type.A);
      socket.send(new DatagramPacket(q, q.length, server.address()));
      var p = new DatagramPacket(new byte[2048], 2048);
      Message m;
      do {
        socket.receive(p);
        m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
      } while (m.getHeader().getID() != 4242);
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getSection(Section.ANSWER)).hasSize(3);
    }
    try (var s = new Socket()) {
      s.connect(server.address(), 2_000);
      s.setSoTimeout(2_000);
      byte[] q = TcpIT.query(4343, "big.default.minilb.", Type.A);
      var out = new DataOutputStream(s.getOutputStream());
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      var in = new DataInputStream(s.getInputStream());
      byte[] r = new byte[in.readUnsignedShort()];
      in.readFully(r);
      assertThat(new Message(r).getSection(Section.ANSWER))
          .hasSize(io.minilb.resolver.dns.Answerer.DEFAULT_MAX_ANSWERS);
    }
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
