package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final AtomicLong clock = new AtomicLong(5_000);

  @Test
  void overTheRate_everySlipthResponseIsTruncated_andTheRestDropped() throws Exception {
    var rrl = new RateLimiter(3, 2, clock::get);
    var verdicts = new ArrayList<RateLimiter.Verdict>();
    for (int i = 0; i < 8; i++) {
      verdicts.add(rrl.check(InetAddress.getByName("192.0.2." + (i + 1))));
    }

    assertThat(verdicts)
        .containsExactly(
            RateLimiter.Verdict.SEND,
            RateLimiter.Verdict.SEND,
            RateLimiter.Verdict.SEND,
            RateLimiter.Verdict.DROP,
            RateLimiter.Verdict.SLIP,
            RateLimiter.Verdict.DROP,
            RateLimiter.Verdict.SLIP,
            RateLimiter.Verdict.DROP);
  }

  @Test
  void theBudgetIsPerSlash24_andPerSlash56() throws Exception {
    var rrl = new RateLimiter(1, 0, clock::get);

    assertThat(rrl.check(InetAddress.getByName("192.0.2.1"))).isEqualTo(RateLimiter.Verdict.SEND);
    assertThat(rrl.check(InetAddress.getByName("192.0.2.200"))).isEqualTo(RateLimiter.Verdict.DROP);
    assertThat(rrl.check(InetAddress.getByName("192.0.3.1"))).isEqualTo(RateLimiter.Verdict.SEND);
    assertThat(rrl.check(InetAddress.getByName("2001:db8:0:1::1")))
        .isEqualTo(RateLimiter.Verdict.SEND);
    assertThat(rrl.check(InetAddress.getByName("2001:db8:0:ff::2")))
        .isEqualTo(RateLimiter.Verdict.DROP);
    assertThat(rrl.check(InetAddress.getByName("2001:db8:0:100::1")))
        .isEqualTo(RateLimiter.Verdict.SEND);
  }

  @Test
  void theBudgetRefillsEverySecond() throws Exception {
    var rrl = new RateLimiter(1, 0, clock::get);
    InetAddress a = InetAddress.getByName("192.0.2.1");

    rrl.check(a);
    assertThat(rrl.check(a)).isEqualTo(RateLimiter.Verdict.DROP);
    clock.addAndGet(1_000);
    assertThat(rrl.check(a)).isEqualTo(RateLimiter.Verdict.SEND);
  }

  @Test
  void disabled_sendsEverything() throws Exception {
    var rrl = new RateLimiter(0, 2, clock::get);

    for (int i = 0; i < 100; i++) {
      assertThat(rrl.check(InetAddress.getByName("192.0.2.1"))).isEqualTo(RateLimiter.Verdict.SEND);
    }
  }

  @Test
  void aSlip_isHeaderAndQuestionWithTc() throws Exception {
    var q = AnswererTest.query("web.default.minilb.", org.xbill.DNS.Type.A);
    var full = new Answerer("").answer(q, ZoneText.index(AnswererTest.ZONE), false).toWire();

    var slip = new org.xbill.DNS.Message(UdpDnsHandler.truncated(full));

    assertThat(slip.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isTrue();
    assertThat(slip.getQuestion().getName().toString()).isEqualTo("web.default.minilb.");
    assertThat(slip.getSection(org.xbill.DNS.Section.ANSWER)).isEmpty();
    assertThat(slip.getHeader().getID()).isEqualTo(q.getHeader().getID());
  }
}
