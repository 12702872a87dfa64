package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.net.Cidr;
import io.minilb.resolver.xfr.TransferConfig;
import io.minilb.resolver.xfr.TsigKey;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
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
