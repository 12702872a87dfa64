package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.ZoneIndex;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The fast path answers exactly what the general path answers, or leaves the query to it. */
class FastPathTest {

  private final ZoneIndex index = ZoneText.index(AnswererTest.ZONE);
  private final Answerer answerer = new Answerer("");

  @Test
  void forEveryQueryItTakes_theResponseMatchesTheGeneralPath() throws Exception {
    var random = new Random(3);
    int taken = 0;
    for (String name :
        List.of(
            "web.default.minilb.",
            "WeB.dEfAuLt.MINILB.",
            "dual.default.minilb.",
            "v6.apps.minilb.",
            "nope.default.minilb.",
            "default.minilb.",
            "minilb.",
            "ns.minilb.",
            "example.com.")) {
      for (int type : new int[] {Type.A, Type.AAAA, Type.TXT, Type.ANY}) {
        for (int edns : new int[] {-1, 0, 1}) {
          Message q = AnswererTest.query(name, type);
          q.getHeader().setID(random.nextInt(65536));
          if (random.nextBoolean()) {
            q.getHeader().setFlag(Flags.RD);
          }
          if (edns >= 0) {
            q.addRecord(new OPTRecord(1232, 0, edns), Section.ADDITIONAL);
          }
          byte[] wire = q.toWire();
          byte[] quick = FastPath.answer(wire, true, index, 32);
          if (quick == null) {
            continue;
          }
          taken++;
          Message f = new Message(quick);
          // rendered, as sent: the SOA's names then point into the question, and read in its case
          Message g = new Message(answerer.answer(new Message(wire), index, false).toWire());
          assertThat(f.getHeader().getID()).isEqualTo(g.getHeader().getID());
          assertThat(f.getRcode()).isEqualTo(g.getRcode());
          for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.TC}) {
            assertThat(f.getHeader().getFlag(flag))
                .as(name + " flag " + flag)
                .isEqualTo(g.getHeader().getFlag(flag));
          }
          assertThat(f.getQuestion()).isEqualTo(g.getQuestion());
          assertThat(f.getQuestion().getName().toString()).isEqualTo(name);
          assertThat(new HashSet<>(ZoneText.section(f, Section.ANSWER)))
              .isEqualTo(new HashSet<>(ZoneText.section(g, Section.ANSWER)));
          assertThat(ZoneText.section(f, Section.AUTHORITY))
              .isEqualTo(ZoneText.section(g, Section.AUTHORITY));
          assertThat(f.getOPT() == null).isEqualTo(g.getOPT() == null);
          if (f.getOPT() != null) {
            assertThat(f.getOPT().getPayloadSize()).isEqualTo(g.getOPT().getPayloadSize());
          }
        }
      }
    }
    assertThat(taken).as("queries the fast path answered").isGreaterThanOrEqualTo(12);
  }

  @Test
  void aLongNxdomainQuestion_cachesNoSuffixKeys_andProbesOnlyAsDeepAsTheApexes() throws Exception {
    // 100 short labels under the only apex, minilb. (one label): the name's own key is too long
    // to cache, and of its suffixes only the one-label suffix can be an apex.
    String name = "a.".repeat(99) + "minilb.";
    byte[] wire = AnswererTest.query(name, Type.A).toWire();
    var s = new QueryScratch();
    assertThat(s.load(wire)).isTrue();

    assertThat(FastPath.answer(s, true, index, 32, EdnsPolicy.NONE, null, false)).isTrue();

    assertThat(s.rcode).isEqualTo(NegativeAnswer.NXDOMAIN);
    assertThat(s.keys.size()).as("keys cached for the question's suffixes").isZero();
    assertThat(s.zoneKeys.size()).as("zone apexes probed").isEqualTo(1);
    Message f = new Message(Arrays.copyOf(s.response, s.responseLength));
    Message g = new Message(answerer.answer(new Message(wire), index, false).toWire());
    assertThat(f.getRcode()).isEqualTo(g.getRcode());
    assertThat(ZoneText.section(f, Section.AUTHORITY))
        .isEqualTo(ZoneText.section(g, Section.AUTHORITY));
  }

  @Test
  void anNxdomainQuestion_cachesItsOwnKeyOnly() throws Exception {
    var s = new QueryScratch();
    assertThat(s.load(AnswererTest.query("nope.default.minilb.", Type.A).toWire())).isTrue();

    assertThat(FastPath.answer(s, true, index, 32, EdnsPolicy.NONE, null, false)).isTrue();

    assertThat(s.rcode).isEqualTo(NegativeAnswer.NXDOMAIN);
    assertThat(s.keys.size()).as("keys cached besides the question's").isEqualTo(1);
  }

  @Test
  void aZoneBelowAnother_isFoundForNamesUnderIt_andOnlyThere() throws Exception {
    ZoneIndex nested =
        ZoneText.index(
            """
            minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 1 60 30 3600 3
            deep.apps.minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 2 60 30 3600 3
            """);
    assertThat(nested.apexLabels()).isEqualTo(3);

    for (String name :
        List.of("x.y.deep.apps.minilb.", "x.apps.minilb.", "a.b.c.d.e.f.deep.apps.minilb.")) {
      byte[] wire = AnswererTest.query(name, Type.A).toWire();
      Message f = new Message(FastPath.answer(wire, true, nested, 32));
      Message g = new Message(answerer.answer(new Message(wire), nested, false).toWire());
      assertThat(f.getRcode()).as(name).isEqualTo(g.getRcode());
      assertThat(ZoneText.section(f, Section.AUTHORITY))
          .as(name)
          .isEqualTo(ZoneText.section(g, Section.AUTHORITY));
    }
  }

  @Test
  void itLeavesEmptyNonTerminalsAnyAndBadversToTheGeneralPath() throws Exception {
    assertThat(
            FastPath.answer(
                AnswererTest.query("default.minilb.", Type.A).toWire(), true, index, 32))
        .isNull();
    assertThat(
            FastPath.answer(
                AnswererTest.query("web.default.minilb.", Type.ANY).toWire(), true, index, 32))
        .isNull();
    Message badvers = AnswererTest.query("web.default.minilb.", Type.A);
    badvers.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    assertThat(FastPath.answer(badvers.toWire(), true, index, 32)).isNull();
  }

  @Test
  void theOrderRotates() throws Exception {
    var firsts = new HashSet<String>();
    for (int i = 0; i < 3; i++) {
      Message m =
          new Message(
              FastPath.answer(
                  AnswererTest.query("web.default.minilb.", Type.A).toWire(), true, index, 32));
      firsts.add(m.getSection(Section.ANSWER).get(0).rdataToString());
    }
    assertThat(firsts).hasSize(3);
  }
}
