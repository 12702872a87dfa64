package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.ZoneIndex;
import java.util.HashSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswererTest {

  static final String ZONE =
      """
      minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 42 60 30 3600 3
      minilb. 5 IN NS ns.minilb.
      ns.minilb. 5 IN A 192.168.1.53
      web.default.minilb. 5 IN A 10.244.0.10
      web.default.minilb. 5 IN A 10.244.1.11
      web.default.minilb. 5 IN A 10.244.2.12
      dual.default.minilb. 5 IN A 10.244.0.20
      dual.default.minilb. 5 IN AAAA fd00:10:244::20
      v6.apps.minilb. 5 IN AAAA fd00:10:244::30
      """;

  static final String NEG_SOA = "minilb. 3 IN SOA ns.minilb. hostmaster.minilb. 42 60 30 3600 3";

  private final ZoneIndex index = ZoneText.index(ZONE);
  private final Answerer answerer = new Answerer("");

  record Case(
      String description, String qname, int qtype, int rcode, String answer, String authority) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "A of a service returns every ready address",
            "web.default.minilb.",
            Type.A,
            Rcode.NOERROR,
            """
            web.default.minilb. 5 IN A 10.244.0.10
            web.default.minilb. 5 IN A 10.244.1.11
            web.default.minilb. 5 IN A 10.244.2.12
            """,
            ""),
        new Case(
            "AAAA of a dual-stack service",
            "dual.default.minilb.",
            Type.AAAA,
            Rcode.NOERROR,
            "dual.default.minilb. 5 IN AAAA fd00:10:244::20",
            ""),
        new Case(
            "AAAA of an IPv4-only name is NODATA with the SOA",
            "web.default.minilb.",
            Type.AAAA,
            Rcode.NOERROR,
            "",
            NEG_SOA),
        new Case(
            "a missing name is NXDOMAIN with the SOA",
            "nope.default.minilb.",
            Type.A,
            Rcode.NXDOMAIN,
            "",
            NEG_SOA),
        new Case(
            "a name below an existing one is NXDOMAIN",
            "x.web.default.minilb.",
            Type.A,
            Rcode.NXDOMAIN,
            "",
            NEG_SOA),
        new Case(
            "an empty non-terminal (namespace) is NODATA, not NXDOMAIN (RFC 8020)",
            "default.minilb.",
            Type.A,
            Rcode.NOERROR,
            "",
            NEG_SOA),
        new Case(
            "a namespace with only AAAA names is still an empty non-terminal",
            "apps.minilb.",
            Type.AAAA,
            Rcode.NOERROR,
            "",
            NEG_SOA),
        new Case(
            "SOA at the apex",
            "minilb.",
            Type.SOA,
            Rcode.NOERROR,
            "minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 42 60 30 3600 3",
            ""),
        new Case("A at the apex is NODATA", "minilb.", Type.A, Rcode.NOERROR, "", NEG_SOA),
        new Case(
            "TXT of a service is NODATA",
            "web.default.minilb.",
            Type.TXT,
            Rcode.NOERROR,
            "",
            NEG_SOA));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answer_matchesTable(Case c) throws Exception {
    Message response = answerer.answer(query(c.qname(), c.qtype()), index, false);

    assertThat(response.getRcode()).as("rcode").isEqualTo(c.rcode());
    assertThat(response.getHeader().getFlag(Flags.AA)).as("AA").isTrue();
    assertThat(response.getHeader().getFlag(Flags.QR)).as("QR").isTrue();
    assertThat(response.getHeader().getFlag(Flags.RA)).as("RA").isFalse();
    assertThat(new HashSet<>(ZoneText.section(response, Section.ANSWER)))
        .as("answer")
        .isEqualTo(new HashSet<>(ZoneText.lines(c.answer())));
    assertThat(ZoneText.section(response, Section.AUTHORITY))
        .as("authority")
        .isEqualTo(ZoneText.lines(c.authority()));
  }

  @Test
  void answer_toNsAtApex_addsGlue() throws Exception {
    Message response = answerer.answer(query("minilb.", Type.NS), index, false);

    assertThat(ZoneText.section(response, Section.ANSWER))
        .containsExactly("minilb. 5 IN NS ns.minilb.");
    assertThat(ZoneText.section(response, Section.ADDITIONAL))
        .containsExactly("ns.minilb. 5 IN A 192.168.1.53");
  }

  @Test
  void answer_outsideTheZone_isRefusedWithoutAa() throws Exception {
    Message response = answerer.answer(query("example.com.", Type.A), index, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void answer_beforeFirstSnapshot_isServfailNeverNxdomain() throws Exception {
    Message response = answerer.answer(query("web.default.minilb.", Type.A), null, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void answer_echoesTheQuestionsCase() throws Exception {
    Message response = answerer.answer(query("WeB.DeFaUlT.MiNiLb.", Type.A), index, false);

    assertThat(response.getQuestion().getName().toString()).isEqualTo("WeB.DeFaUlT.MiNiLb.");
    assertThat(response.getSection(Section.ANSWER))
        .allSatisfy(r -> assertThat(r.getName().toString()).isEqualTo("WeB.DeFaUlT.MiNiLb."));
  }

  @Test
  void answer_rotatesTheAddressOrderBetweenQueries() throws Exception {
    var firsts = new HashSet<String>();
    for (int i = 0; i < 3; i++) {
      Message response = answerer.answer(query("web.default.minilb.", Type.A), index, false);
      firsts.add(response.getSection(Section.ANSWER).get(0).rdataToString());
    }

    assertThat(firsts).hasSize(3);
  }

  @Test
  void answer_toAny_isOneSynthesizedHinfo() throws Exception {
    Message response = answerer.answer(query("web.default.minilb.", Type.ANY), index, false);

    assertThat(ZoneText.section(response, Section.ANSWER))
        .containsExactly("web.default.minilb. 3 IN HINFO \"RFC8482\" \"\"");
  }

  @Test
  void answer_toAnyAtANameAWildcardCovers_isTheHinfoNotNxdomain() throws Exception {
    ZoneIndex wild = ZoneText.index(ZONE + "*.apps.minilb. 5 IN A 10.244.3.3\n");

    Message response = answerer.answer(query("x.apps.minilb.", Type.ANY), wild, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ZoneText.section(response, Section.ANSWER))
        .containsExactly("x.apps.minilb. 3 IN HINFO \"RFC8482\" \"\"");
  }

  @Test
  void answer_copiesIdAndRd() throws Exception {
    Message q = query("web.default.minilb.", Type.A);
    q.getHeader().setID(4242);
    q.getHeader().setFlag(Flags.RD);

    Message response = answerer.answer(q, index, false);

    assertThat(response.getHeader().getID()).isEqualTo(4242);
    assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
  }

  @Test
  void answer_toAnotherOpcode_isNotimp() throws Exception {
    Message q = query("web.default.minilb.", Type.A);
    q.getHeader().setOpcode(Opcode.NOTIFY);

    assertThat(answerer.answer(q, index, false).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void answer_withEdns_echoesOptWithOurPayloadSize() throws Exception {
    Message q = query("web.default.minilb.", Type.A);
    q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

    OPTRecord opt = answerer.answer(q, index, false).getOPT();

    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(Answerer.MAX_UDP_PAYLOAD);
    assertThat(Answerer.udpLimit(q)).isEqualTo(1232);
  }

  @Test
  void answer_withUnknownEdnsVersion_isBadvers() throws Exception {
    Message q = query("web.default.minilb.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

    assertThat(answerer.answer(q, index, false).getRcode()).isEqualTo(Rcode.BADVERS);
  }

  @Test
  void udpLimit_withoutEdns_is512_andSmallAdvertisementsAreRaisedTo512() throws Exception {
    Message plain = query("web.default.minilb.", Type.A);
    Message small = query("web.default.minilb.", Type.A);
    small.addRecord(new OPTRecord(100, 0, 0), Section.ADDITIONAL);

    assertThat(Answerer.udpLimit(plain)).isEqualTo(512);
    assertThat(Answerer.udpLimit(small)).isEqualTo(512);
  }

  @Test
  void answer_zoneTransfer_isRefused() throws Exception {
    assertThat(answerer.answer(query("minilb.", Type.AXFR), index, false).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  static Message query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }

  @Test
  void answer_pastMaxStale_isServfail_butOutsideTheZoneStillRefused() throws Exception {
    assertThat(answerer.answer(query("web.default.minilb.", Type.A), index, true).getRcode())
        .isEqualTo(Rcode.SERVFAIL);
    assertThat(answerer.answer(query("example.com.", Type.A), index, true).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }

  @Test
  void answer_chaosIdServer_namesTheResolver_andNothingElseInChaos() throws Exception {
    var named = new Answerer("node-7");

    Message id =
        named.answer(
            Message.newQuery(Record.newRecord(Name.fromString("id.server."), Type.TXT, DClass.CH)),
            index,
            false);
    Message other =
        named.answer(
            Message.newQuery(
                Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH)),
            index,
            false);

    assertThat(ZoneText.section(id, Section.ANSWER))
        .containsExactly("id.server. 0 CH TXT \"node-7\"");
    assertThat(other.getRcode()).isEqualTo(Rcode.REFUSED);
  }
}
