package io.minilb.resolver.dns;

import static io.minilb.resolver.dns.RawQuery.edns;
import static io.minilb.resolver.dns.RawQuery.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Each event loop's scratch is a few KiB; answers larger than it still go out whole. */
class QueryScratchTest {

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  @Test
  void eachThreadsScratch_holdsAFewKiB_notAWholeTcpMessage() {
    var s = QueryScratch.forThisThread();

    assertThat(s.query.length + s.response.length).isLessThanOrEqualTo(4096);
  }

  @Test
  void anAnswerLargerThanTheScratch_overTcp_isTheGeneralPathsWhole() throws Exception {
    var zone = new StringBuilder(AnswererTest.ZONE);
    for (int i = 0; i < 64; i++) {
      zone.append("big.default.minilb. 5 IN AAAA fd00::").append(Integer.toHexString(i + 1));
      zone.append('\n');
    }
    var store = new Store();
    store.replace(ZoneText.snapshot(zone.toString()));
    var responder =
        new Responder(
            store, new Answerer("", 64), null, new QueryMetrics(new PrometheusRegistry()));
    var s = QueryScratch.forThisThread();

    assertThat(s.load(query("big.default.minilb.", Type.AAAA))).isTrue();
    Reply tcp = responder.respond(s, false, CLIENT, later -> {});
    assertThat(tcp).isInstanceOf(Reply.Answer.class);
    Message whole = new Message(((Reply.Answer) tcp).wire());
    assertThat(whole.getSection(Section.ANSWER)).hasSize(64);
    assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();

    assertThat(s.load(edns(query("big.default.minilb.", Type.AAAA)))).isTrue();
    assertThat(responder.respond(s, true, CLIENT, later -> {})).isSameAs(Reply.BUILT);
    assertThat(s.responseLength).isLessThanOrEqualTo(Answerer.MAX_UDP_PAYLOAD);
    Message window = new Message(java.util.Arrays.copyOf(s.response, s.responseLength));
    assertThat(window.getSection(Section.ANSWER)).hasSizeBetween(1, 63);
  }
}
