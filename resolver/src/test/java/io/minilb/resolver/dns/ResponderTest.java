package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponderTest {

  private static final String BIG;

  static {
    var sb = new StringBuilder(AnswererTest.ZONE);
    for (int i = 1; i <= 60; i++) {
      sb.append("big.default.minilb. 5 IN A 10.244.3.").append(i).append('\n');
    }
    BIG = sb.toString();
  }

  private final Store store = new Store();
  private final Responder responder =
      new Responder(store, new Answerer(""), null, new QueryMetrics(new PrometheusRegistry()));

  {
    store.replace(ZoneText.snapshot(BIG));
  }

  private byte[] udp(byte[] query) {
    return wire(responder.respond(query, true, null, later -> {}));
  }

  private byte[] tcp(byte[] query) {
    return wire(responder.respond(query, false, null, later -> {}));
  }

  private static byte[] wire(Reply reply) {
    return reply instanceof Reply.Answer a ? a.wire() : null;
  }

  @Test
  void udp_answerLargerThan512WithoutEdns_sendsFewerRecords_notTruncation() throws Exception {
    byte[] wire = udp(AnswererTest.query("big.default.minilb.", Type.A).toWire());

    Message response = new Message(wire);
    assertThat(wire.length).isLessThanOrEqualTo(512);
    assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).hasSizeBetween(20, 31);
  }

  @Test
  void udp_generalPath_answerLargerThan512_sendsFewerRecords() throws Exception {
    Message response =
        new Answerer("")
            .answer(AnswererTest.query("big.default.minilb.", Type.A), store.index(), false);

    byte[] wire = Answerer.fit(response, 512);

    Message sent = new Message(wire);
    assertThat(wire.length).isLessThanOrEqualTo(512);
    assertThat(sent.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(sent.getSection(Section.ANSWER)).hasSizeBetween(20, 31);
  }

  @Test
  void tcp_sameQuery_returnsMaxAnswersRecords() throws Exception {
    Message response = new Message(tcp(AnswererTest.query("big.default.minilb.", Type.A).toWire()));

    assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).hasSize(Answerer.DEFAULT_MAX_ANSWERS);
  }

  @Test
  void tcp_withMaxAnswersAboveTheSetSize_returnsTheWholeSet() throws Exception {
    var all =
        new Responder(
            store, new Answerer("", 100), null, new QueryMetrics(new PrometheusRegistry()));
    Reply reply =
        all.respond(
            AnswererTest.query("big.default.minilb.", Type.A).toWire(), false, null, later -> {});

    assertThat(new Message(wire(reply)).getSection(Section.ANSWER)).hasSize(60);
  }

  @Test
  void udp_withEdns1232_fitsMaxAnswers() throws Exception {
    Message q = AnswererTest.query("big.default.minilb.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

    byte[] wire = udp(q.toWire());

    assertThat(wire.length).isLessThanOrEqualTo(1232);
    assertThat(new Message(wire).getSection(Section.ANSWER)).hasSize(Answerer.DEFAULT_MAX_ANSWERS);
  }

  @Test
  void malformedQueryWithReadableHeader_getsFormerrWithItsId() throws Exception {
    byte[] wire = AnswererTest.query("web.default.minilb.", Type.A).toWire();
    byte[] cut = Arrays.copyOf(wire, wire.length - 3); // question runs past the end
    cut[0] = 0x12;
    cut[1] = 0x34;

    Message response = new Message(udp(cut));

    assertThat(response.getHeader().getID()).isEqualTo(0x1234);
    assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
  }

  @Test
  void shorterThanAHeader_isDropped() {
    assertThat(udp(new byte[] {1, 2, 3})).isNull();
  }

  @Test
  void aResponse_isNeverAnswered() throws Exception {
    Message m = AnswererTest.query("web.default.minilb.", Type.A);
    m.getHeader().setFlag(Flags.QR);

    assertThat(udp(m.toWire())).isNull();
  }

  @Test
  void twoQuestions_getFormerr() throws Exception {
    Message q = AnswererTest.query("web.default.minilb.", Type.A);
    q.addRecord(AnswererTest.query("dual.default.minilb.", Type.A).getQuestion(), Section.QUESTION);

    assertThat(new Message(udp(q.toWire())).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  private Message respondTo(byte[] wire) throws Exception {
    return new Message(udp(wire));
  }

  private static byte[] cut(byte[] b, int n) {
    return Arrays.copyOf(b, b.length - n);
  }

  @Test
  void theFiveFindingsOfTheDifferentialRun() throws Exception {
    byte[] a = RawQuery.query("web.default.minilb.", Type.A);

    Message doEcho = respondTo(RawQuery.with(a, RawQuery.opt(1232, 0, true)));
    assertThat(doEcho.getOPT().getFlags() & 0x8000).as("DO echoed").isNotZero();

    for (int length : new int[] {5, 12, 41}) {
      Message bad = respondTo(RawQuery.edns(a, RawQuery.cookie(length)));
      assertThat(bad.getRcode()).as("cookie " + length).isEqualTo(Rcode.FORMERR);
      assertThat(bad.getOPT()).as("cookie " + length).isNotNull();
      assertThat(bad.getQuestion()).as("cookie " + length).isNotNull();
    }

    Message two =
        respondTo(RawQuery.with(a, RawQuery.opt(1232, 0, false), RawQuery.opt(1232, 0, false)));
    assertThat(two.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(two.getSection(Section.ADDITIONAL)).hasSize(1);

    assertThat(
            respondTo(RawQuery.with(a, cut(RawQuery.opt(1232, 0, false, RawQuery.cookie(8)), 2)))
                .getRcode())
        .isEqualTo(Rcode.FORMERR);
    assertThat(
            respondTo(RawQuery.with(a, RawQuery.opt(1232, 0, false, new byte[] {0, 10, 0})))
                .getRcode())
        .isEqualTo(Rcode.FORMERR);

    assertThat(respondTo(RawQuery.ixfrWithSoa()).getRcode()).isEqualTo(Rcode.REFUSED);
  }
}
