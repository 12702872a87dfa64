package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS over TCP (RFC 7766): pipelining, idle and frame deadlines, connection caps, hostile framing.
 */
class TcpIT {

  private Served server;

  @AfterEach
  void stop() {
    server.close();
  }

  private void start(Duration idle, int max, int perClient) throws Exception {
    server =
        Served.start(
            RealClientIT.ZONE,
            b -> b.tcpIdleTimeout(idle).tcpMaxConnections(max).tcpMaxPerClient(perClient));
  }

  @Test
  void severalPipelinedQueriesOnOneConnection_allGetTheirAnswers() throws Exception {
    start(Duration.ofSeconds(10), 16, 4);
    try (Socket s = connect()) {
      var out = new DataOutputStream(s.getOutputStream());
      for (int id = 1; id <= 5; id++) {
        write(out, query(id, "web.default.minilb.", Type.A));
      }
      var in = new DataInputStream(s.getInputStream());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        Message m = read(in);
        ids.add(m.getHeader().getID());
        assertThat(m.getSection(Section.ANSWER)).hasSize(3);
      }
      assertThat(ids).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }
  }

  @Test
  void anIdleConnection_isClosedAfterTheTimeout() throws Exception {
    start(Duration.ofMillis(300), 16, 4);
    try (Socket s = connect()) {
      s.setSoTimeout(5_000);
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isBetween(Duration.ofMillis(200), Duration.ofSeconds(4));
    }
  }

  @Test
  void aConnectionOverThePerClientCap_closesThatClientsLongestIdle_andTheOthersKeepWorking()
      throws Exception {
    start(Duration.ofSeconds(10), 16, 2);
    try (Socket a = connect();
        Socket b = connect()) {
      awaitOpen(2);
      try (Socket c = connect()) {
        assertThat(a.getInputStream().read()).as("first connection closed").isEqualTo(-1);
        for (Socket ok : new Socket[] {b, c}) {
          write(
              new DataOutputStream(ok.getOutputStream()), query(7, "web.default.minilb.", Type.A));
          assertThat(read(new DataInputStream(ok.getInputStream())).getHeader().getID())
              .isEqualTo(7);
        }
      }
    }
  }

  @Test
  void aConnectionOverTheTotalCap_closesTheLongestIdle_andIsServed() throws Exception {
    start(Duration.ofSeconds(10), 1, 8);
    try (Socket a = connect()) {
      awaitOpen(1);
      try (Socket b = connect()) {
        assertThat(a.getInputStream().read()).isEqualTo(-1);
        write(new DataOutputStream(b.getOutputStream()), query(9, "web.default.minilb.", Type.A));
        assertThat(read(new DataInputStream(b.getInputStream())).getHeader().getID()).isEqualTo(9);
      }
    }
  }

  @Test
  void aLengthPrefixPromisingMoreThanIsSent_neverHangsTheServer() throws Exception {
    start(Duration.ofMillis(500), 16, 4);
    try (Socket s = connect()) {
      var out = new DataOutputStream(s.getOutputStream());
      out.writeShort(0xFFFF);
      out.write(new byte[100]);
      out.flush();
      s.setSoTimeout(5_000);
      assertThat(s.getInputStream().read()).as("closed at the frame deadline").isEqualTo(-1);
    }
    try (Socket fresh = connect()) {
      write(new DataOutputStream(fresh.getOutputStream()), query(3, "web.default.minilb.", Type.A));
      assertThat(read(new DataInputStream(fresh.getInputStream())).getSection(Section.ANSWER))
          .hasSize(3);
    }
  }

  @Test
  void aZeroLengthFrame_closesTheConnection() throws Exception {
    start(Duration.ofSeconds(10), 16, 4);
    try (Socket s = connect()) {
      var out = new DataOutputStream(s.getOutputStream());
      out.writeShort(0);
      out.flush();
      s.setSoTimeout(5_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  /** Waits until the server has accepted {@code n} connections (accepting is asynchronous). */
  private void awaitOpen(int n) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (openConnections() < n && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(openConnections()).isEqualTo(n);
  }

  private double openConnections() throws Exception {
    return server.metric("minilb_resolver_tcp_connections");
  }

  private Socket connect() throws IOException {
    var s = new Socket();
    s.connect(server.address(), 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  static byte[] query(int id, String name, int type) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.getHeader().setID(id);
    return q.toWire();
  }

  private static void write(DataOutputStream out, byte[] msg) throws IOException {
    out.writeShort(msg.length);
    out.write(msg);
    out.flush();
  }

  private static Message read(DataInputStream in) throws IOException {
    try {
      int len = in.readUnsignedShort();
      byte[] b = new byte[len];
      in.readFully(b);
      return new Message(b);
    } catch (EOFException | SocketTimeoutException e) {
      throw new IOException("no response", e);
    }
  }
}
