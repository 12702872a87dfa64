package io.minilb.resolver.dns;

import static io.minilb.resolver.dns.AnswererTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.ZoneIndex;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Wildcard hosts, SRV with additional data, reverse zones: zone-file tables as the controller emits
 * them.
 */
class ExtraZonesTest {

  static final String ZONES =
      """
      minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 7 60 30 3600 5
      minilb. 5 IN NS ns.minilb.
      web.default.minilb. 5 IN A 10.244.0.10
      web-0.web.default.minilb. 5 IN A 10.244.0.10
      _http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-0.web.default.minilb.
      apps.example.com. 5 IN SOA ns.minilb. hostmaster.minilb. 7 60 30 3600 5
      apps.example.com. 5 IN NS ns.minilb.
      *.apps.example.com. 5 IN A 10.244.1.1
      0.244.10.in-addr.arpa. 5 IN SOA ns.minilb. hostmaster.minilb. 7 60 30 3600 5
      0.244.10.in-addr.arpa. 5 IN NS ns.minilb.
      10.0.244.10.in-addr.arpa. 5 IN PTR web-0.web.default.minilb.
      10.0.244.10.in-addr.arpa. 5 IN PTR web.default.minilb.
      """;

  private final ZoneIndex index = ZoneText.index(ZONES);
  private final Answerer answerer = new Answerer("");

  @Test
  void aWildcardHost_matchesOneLabel_answeredAtTheQuestionsName() throws Exception {
    Message r = answerer.answer(query("Shop.apps.example.com.", Type.A), index, false);

    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(ZoneText.section(r, Section.ANSWER))
        .containsExactly("Shop.apps.example.com. 5 IN A 10.244.1.1");
  }

  @Test
  void aWildcardHost_doesNotMatchTwoLabels() throws Exception {
    Message r = answerer.answer(query("a.b.apps.example.com.", Type.A), index, false);

    assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(ZoneText.section(r, Section.AUTHORITY))
        .singleElement()
        .asString()
        .startsWith("apps.example.com. 5 IN SOA");
  }

  @Test
  void aWildcardHost_withoutTheType_isNodata() throws Exception {
    Message r = answerer.answer(query("shop.apps.example.com.", Type.AAAA), index, false);

    assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.getSection(Section.ANSWER)).isEmpty();
    assertThat(r.getSection(Section.AUTHORITY)).hasSize(1);
  }

  @Test
  void srv_carriesTheTargetAddressesInTheAdditionalSection() throws Exception {
    Message r = answerer.answer(query("_http._tcp.web.default.minilb.", Type.SRV), index, false);

    assertThat(ZoneText.section(r, Section.ANSWER))
        .containsExactly(
            "_http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-0.web.default.minilb.");
    assertThat(ZoneText.section(r, Section.ADDITIONAL))
        .containsExactly("web-0.web.default.minilb. 5 IN A 10.244.0.10");
  }

  @Test
  void ptr_inAPodCidrReverseZone_namesTheEndpointAndTheService() throws Exception {
    Message r = answerer.answer(query("10.0.244.10.in-addr.arpa.", Type.PTR), index, false);

    assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(ZoneText.section(r, Section.ANSWER))
        .containsExactlyInAnyOrder(
            "10.0.244.10.in-addr.arpa. 5 IN PTR web-0.web.default.minilb.",
            "10.0.244.10.in-addr.arpa. 5 IN PTR web.default.minilb.");
  }

  @Test
  void ptr_ofAnUnpublishedPodIp_isNxdomain_andOtherReverseNamesAreRefused() throws Exception {
    assertThat(
            answerer.answer(query("99.0.244.10.in-addr.arpa.", Type.PTR), index, false).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
    assertThat(
            answerer.answer(query("1.1.168.192.in-addr.arpa.", Type.PTR), index, false).getRcode())
        .isEqualTo(Rcode.REFUSED);
  }
}
