package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.net.Cidr;
import io.minilb.resolver.xfr.TransferConfig;
import io.minilb.resolver.xfr.TsigKey;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * AXFR and IXFR with ISC dig and Knot kdig against a resolver started with {@code --allow-transfer
 * 127.0.0.1/32}, serving its zones from its snapshot file: what a secondary sees, who is refused,
 * and TSIG. Incremental IXFR, which needs a controller's changes, is in the demo's ZoneTransferIT.
 */
class ZoneTransferIT {

  static final String SECRET = "c2VjcmV0LXNoYXJlZC13aXRoLXRoZS1zZWNvbmRhcnk=";
  static final String SERIAL = "2026112501";

  private Served server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(String zone, TsigKey key) throws Exception {
    var transfer = new TransferConfig(List.of(Cidr.parse("127.0.0.1/32")), List.of(), key);
    server = Served.start(zone, b -> b.transfer(transfer));
  }

  @Test
  void axfr_sendsEveryRecordOfTheZone_betweenTwoSoas_withDigAndKdig() throws Exception {
    start(RealClientIT.ZONE, null);
    for (String tool : List.of("dig", "kdig")) {
      var records = records(xfr(tool, "minilb.", "AXFR"));
      assertThat(records).as(tool).hasSize(11);
      assertThat(records.get(0)).as(tool).contains(" SOA ").contains(SERIAL);
      assertThat(records.get(records.size() - 1)).as(tool).isEqualTo(records.get(0));
      assertThat(records)
          .as(tool + ": all three addresses, not a rotated answer; no other zone's records")
          .contains(
              "web.default.minilb. 5 IN A 10.244.0.10",
              "web.default.minilb. 5 IN A 10.244.1.11",
              "web.default.minilb. 5 IN A 10.244.2.12",
              "_http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-0.web.default.minilb.")
          .noneMatch(l -> l.contains("apps.example.com") || l.contains("in-addr.arpa. 5 IN PTR"));
    }
    var reverse = records(xfr("dig", "0.244.10.in-addr.arpa.", "AXFR"));
    assertThat(reverse).hasSize(5).anyMatch(l -> l.contains("PTR web.default.minilb."));
  }

  @Test
  void axfr_ofALargeZone_spansSeveralMessages() throws Exception {
    var zone = new StringBuilder(RealClientIT.ZONE);
    for (int i = 0; i < 3000; i++) {
      zone.append("big.default.minilb. 5 IN A 10.1.")
          .append(i / 250)
          .append('.')
          .append(i % 250)
          .append('\n');
    }
    start(zone.toString(), null);
    String out = xfr("dig", "minilb.", "AXFR");
    assertThat(records(out)).hasSize(11 + 3000);
    var m = java.util.regex.Pattern.compile("messages (\\d+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isGreaterThan(1);
  }

  @Test
  void axfr_fromAnAddressOutsideTheAllowedNetworks_isRefused() throws Exception {
    start(RealClientIT.ZONE, null);
    String out = run("kdig", "-b", "127.0.0.2", "minilb.", "AXFR");
    assertThat(out).contains("REFUSED");
    assertThat(records(out)).isEmpty();
    assertThat(records(run("dig", "-b", "127.0.0.2", "minilb.", "AXFR"))).isEmpty();
    assertThat(records(xfr("dig", "minilb.", "AXFR"))).as("while 127.0.0.1 may").hasSize(11);
  }

  @Test
  void axfr_ofANameThatIsNotAnApex_isNotAuth() throws Exception {
    start(RealClientIT.ZONE, null);
    String out = run("kdig", "web.default.minilb.", "AXFR");
    assertThat(out).contains("NOTAUTH");
    assertThat(records(out)).isEmpty();
  }

  @Test
  void axfr_overUdp_isFormerr() throws Exception {
    start(RealClientIT.ZONE, null);
    Message response = udp(Message.newQuery(Record.newRecord(name("minilb."), Type.AXFR, 1)));
    assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void ixfr_atTheCurrentSerial_isTheSoaAlone_andFromAnUnknownSerial_isTheWholeZone()
      throws Exception {
    start(RealClientIT.ZONE, null);
    var current = records(xfr("dig", "minilb.", "IXFR=" + SERIAL));
    assertThat(current).singleElement().asString().contains(" SOA ").contains(SERIAL);

    var full = records(xfr("dig", "minilb.", "IXFR=2026112400"));
    assertThat(full).hasSize(11).contains("web.default.minilb. 5 IN A 10.244.1.11");
    assertThat(full.get(0)).isEqualTo(full.get(10)).contains(SERIAL);
  }

  @Test
  void ixfr_overUdp_isTheSoaAlone_meaningAskAgainOverTcp() throws Exception {
    start(RealClientIT.ZONE, null);
    String raw = run("dig", "+notcp", "+tries=3", "minilb.", "IXFR=2026112400");
    assertThat(records(raw)).as(raw).singleElement().asString().contains(" SOA ").contains(SERIAL);
  }

  @Test
  void tsig_aSignedTransfer_isAnsweredSigned_andUnsignedOrBadlySignedOnesAreRefused()
      throws Exception {
    var keyFile = java.nio.file.Files.createTempFile("xfr", ".key");
    java.nio.file.Files.writeString(
        keyFile,
        "key \"minilb-xfr\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + SECRET + "\";\n};\n");
    start(RealClientIT.ZONE, TsigKey.parse("minilb-xfr:hmac-sha256:" + keyFile));
    java.nio.file.Files.delete(keyFile);

    String good = run("dig", "-y", "hmac-sha256:minilb-xfr:" + SECRET, "minilb.", "AXFR");
    assertThat(records(good)).as(good).hasSize(11);
    assertThat(good).doesNotContain("Couldn't verify", "failed");
    String kdig = run("kdig", "-y", "hmac-sha256:minilb-xfr:" + SECRET, "minilb.", "AXFR");
    assertThat(records(kdig)).as(kdig).hasSize(11);

    String unsigned = run("kdig", "minilb.", "AXFR");
    assertThat(unsigned).contains("REFUSED");
    assertThat(records(unsigned)).isEmpty();

    String wrongSecret =
        run("kdig", "-y", "hmac-sha256:minilb-xfr:" + SECRET.replace('c', 'd'), "minilb.", "AXFR");
    assertThat(wrongSecret).as("NOTAUTH with the TSIG error").contains("BADSIG");
    assertThat(records(wrongSecret)).isEmpty();
    String wrongKey = run("kdig", "-y", "hmac-sha256:other:" + SECRET, "minilb.", "AXFR");
    assertThat(wrongKey).contains("BADKEY");
    assertThat(records(wrongKey)).isEmpty();
    assertThat(records(run("dig", "-y", "hmac-sha256:other:" + SECRET, "minilb.", "AXFR")))
        .isEmpty();

    String soa = run("dig", "-y", "hmac-sha256:minilb-xfr:" + SECRET, "minilb.", "SOA");
    assertThat(soa)
        .as("a secondary's signed SOA check is answered signed")
        .contains("status: NOERROR");
    assertThat(soa).doesNotContain("Couldn't verify", "expected a TSIG");
  }

  @Test
  void transfers_checkTheOptFirst_andEchoDo_likeEveryOtherAnswer() throws Exception {
    start(RealClientIT.ZONE, null);
    assertThat(run("kdig", "+edns=1", "minilb.", "AXFR")).contains("BADVERS");

    Message versionOne = tcp(transferQuery(Type.AXFR, new OPTRecord(1232, 0, 1, ExtendedFlags.DO)));
    assertThat(versionOne.getRcode()).as("RFC 6891 section 6.1.3").isEqualTo(Rcode.BADVERS);
    assertThat(versionOne.getSection(Section.ANSWER)).isEmpty();

    Message twoOpts = transferQuery(Type.AXFR, new OPTRecord(1232, 0, 0));
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    Message formerr = tcp(twoOpts);
    assertThat(formerr.getRcode()).as("RFC 6891 section 6.1.1").isEqualTo(Rcode.FORMERR);
    assertThat(formerr.getSection(Section.ANSWER)).isEmpty();

    Message axfr = tcp(transferQuery(Type.AXFR, new OPTRecord(1232, 0, 0, ExtendedFlags.DO)));
    assertThat(axfr.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(axfr.getOPT().getFlags() & ExtendedFlags.DO).as("DO echoed").isNotZero();
    Message overUdp = udp(transferQuery(Type.AXFR, new OPTRecord(1232, 0, 0, ExtendedFlags.DO)));
    assertThat(overUdp.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(overUdp.getOPT().getFlags() & ExtendedFlags.DO).as("DO echoed").isNotZero();
  }

  @Test
  void aRefusedTransfer_carriesExtendedError18_asDocumented() throws Exception {
    start(RealClientIT.ZONE, null);
    Message refused =
        tcp(
            transferQuery(Type.AXFR, new OPTRecord(1232, 0, 0)),
            new InetSocketAddress("127.0.0.2", 0));
    assertThat(refused.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(refused.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR))
        .singleElement()
        .extracting(o -> ((ExtendedErrorCodeOption) o).getErrorCode())
        .isEqualTo(ExtendedErrorCodeOption.PROHIBITED);
  }

  private static Message transferQuery(int type, OPTRecord opt) throws Exception {
    Message q = Message.newQuery(Record.newRecord(name("minilb."), type, IN));
    q.addRecord(opt, Section.ADDITIONAL);
    return q;
  }

  /** The first response message to {@code query} over TCP. */
  private Message tcp(Message query) throws Exception {
    return tcp(query, new InetSocketAddress("127.0.0.1", 0));
  }

  private Message tcp(Message query, InetSocketAddress from) throws Exception {
    try (var socket = new java.net.Socket()) {
      socket.bind(from);
      socket.connect(server.address(), 2000);
      socket.setSoTimeout(2000);
      byte[] q = query.toWire();
      var out = new java.io.DataOutputStream(socket.getOutputStream());
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      var in = new java.io.DataInputStream(socket.getInputStream());
      byte[] r = new byte[in.readUnsignedShort()];
      in.readFully(r);
      return new Message(r);
    }
  }

  /** A transfer with {@code tool}, failing the test unless it completed. */
  private String xfr(String tool, String zone, String type) throws Exception {
    String out = run(tool, zone, type);
    assertThat(out).as(out).doesNotContain("Transfer failed", ";; ERROR");
    return out;
  }

  private String run(String tool, String... args) throws Exception {
    return Dig.run(tool, server.port(), args).raw();
  }

  /** The record lines of dig or kdig output (comments and TSIG left out), whitespace-normalised. */
  static List<String> records(String out) {
    return out.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith(";"))
        .map(l -> l.replaceAll("\\s+", " "))
        .filter(l -> !l.contains(" TSIG "))
        .toList();
  }

  private Message udp(Message query) throws Exception {
    try (var socket = new DatagramSocket()) {
      socket.setSoTimeout(2000);
      byte[] q = query.toWire();
      socket.send(new DatagramPacket(q, q.length, server.address()));
      var buf = new byte[4096];
      var p = new DatagramPacket(buf, buf.length);
      socket.receive(p);
      return new Message(java.util.Arrays.copyOf(buf, p.getLength()));
    }
  }

  private static Name name(String s) throws Exception {
    return Name.fromString(s);
  }

  static final int IN = DClass.IN;
}
