package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Response rate limiting over a real socket, and dig's TCP retry on a slipped (TC=1) answer. */
class RrlIT {

  @Test
  void aFloodFromOneClient_isLimited_withSlips_andDigStillGetsItsAnswerOverTcp() throws Exception {
    try (var server = Served.start(RealClientIT.ZONE, b -> b.rateLimit(20, 2));
        var socket = new DatagramSocket()) {
      socket.setSoTimeout(300);
      int full = 0;
      int slipped = 0;
      for (int i = 0; i < 200; i++) {
        byte[] q = TcpIT.query(i, "web.default.minilb.", Type.A);
        socket.send(new DatagramPacket(q, q.length, server.address()));
      }
      try {
        while (true) {
          var p = new DatagramPacket(new byte[1500], 1500);
          socket.receive(p);
          Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
          if (m.getHeader().getFlag(Flags.TC)) {
            slipped++;
          } else {
            full++;
          }
        }
      } catch (SocketTimeoutException done) {
        // all responses read
      }

      assertThat(full)
          .as("answered in full")
          .isBetween(20, 40); // the burst may straddle two seconds
      assertThat(slipped).as("slipped").isBetween(60, 100);
      assertThat(full + slipped).as("the rest dropped").isLessThan(200);
    }
  }

  @Test
  void withSlipOne_everyLimitedAnswerIsTruncated_andDigRetriesOverTcp() throws Exception {
    try (var server = Served.start(RealClientIT.ZONE, b -> b.rateLimit(1, 1))) {
      Dig first = Dig.run("dig", server.port(), "web.default.minilb", "A");
      Dig second = Dig.run("dig", server.port(), "web.default.minilb", "A");
      Dig third = Dig.run("dig", server.port(), "web.default.minilb", "A");

      assertThat(first.answer()).hasSize(3);
      assertThat(second.answer()).hasSize(3);
      assertThat(third.answer()).hasSize(3);
      // three queries within a second: at least one is over the rate of 1 and comes back TC=1
      assertThat(first.raw() + second.raw() + third.raw())
          .contains("Truncated, retrying in TCP mode");
    }
  }

  @Test
  void aSlipToAnEdnsQuery_carriesAnOpt_withDoEchoed() throws Exception {
    try (var server = Served.start(RealClientIT.ZONE, b -> b.rateLimit(1, 1));
        var socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      Message slip = null;
      for (int i = 0; i < 5 && slip == null; i++) {
        Message q =
            Message.newQuery(
                Record.newRecord(Name.fromString("web.default.minilb."), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        byte[] wire = q.toWire();
        socket.send(new DatagramPacket(wire, wire.length, server.address()));
        var p = new DatagramPacket(new byte[1500], 1500);
        socket.receive(p);
        Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        if (m.getHeader().getFlag(Flags.TC)) {
          slip = m;
        }
      }

      assertThat(slip).as("a slip within five queries at a rate of 1").isNotNull();
      assertThat(slip.getOPT())
          .as("RFC 6891 section 7: an OPT in every response to one")
          .isNotNull();
      assertThat(slip.getOPT().getFlags() & ExtendedFlags.DO).as("DO echoed").isNotZero();
      assertThat(slip.getSection(Section.ANSWER)).isEmpty();
    }
  }
}
