package io.minilb.resolver.dns;

import static io.minilb.resolver.dns.RawQuery.cookie;
import static io.minilb.resolver.dns.RawQuery.edns;
import static io.minilb.resolver.dns.RawQuery.ixfrWithSoa;
import static io.minilb.resolver.dns.RawQuery.opt;
import static io.minilb.resolver.dns.RawQuery.option;
import static io.minilb.resolver.dns.RawQuery.query;
import static io.minilb.resolver.dns.RawQuery.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Every query of a protocol suite goes through the whole responder (fast path first) and through
 * the general path alone, over UDP and TCP: the two responses must be the same bytes. Nothing may
 * legitimately differ, because the answers used here have one record each (the two paths rotate
 * with separate counters; {@link FastPathTest} covers multi-record sets as sets).
 */
class BothPathsTest {

  static final String ZONE =
      """
      minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 42 60 30 3600 3
      minilb. 5 IN NS ns.minilb.
      ns.minilb. 5 IN A 192.168.1.53
      web.default.minilb. 5 IN A 10.244.0.10
      dual.default.minilb. 5 IN A 10.244.0.20
      dual.default.minilb. 5 IN AAAA fd00:10:244::20
      """;

  static final byte[] CLIENT_COOKIE = RawQuery.CLIENT_COOKIE;
  static final long NOW = 1_700_000_000_000L;

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final ServerCookies COOKIES = ServerCookies.of(List.of(new byte[16]), () -> NOW);

  private final Store store = new Store();
  private final Responder responder =
      new Responder(
          store,
          new Answerer("node-1"),
          null,
          new QueryMetrics(new PrometheusRegistry()),
          new EdnsPolicy("node-1", COOKIES),
          null);

  {
    store.replace(ZoneText.snapshot(ZONE));
  }

  record Case(String name, byte[] wire) {
    @Override
    public String toString() {
      return name;
    }
  }

  static byte[] validCookie() {
    return option(EdnsQuery.COOKIE, COOKIES.reply(CLIENT_COOKIE, CLIENT).option());
  }

  static byte[] flags(byte[] wire, int byte2, int byte3) {
    byte[] w = wire.clone();
    w[2] = (byte) byte2;
    w[3] = (byte) byte3;
    return w;
  }

  static byte[] counts(byte[] wire, int qd) {
    byte[] w = wire.clone();
    w[4] = (byte) (qd >> 8);
    w[5] = (byte) qd;
    return w;
  }

  static byte[] twoQuestions() {
    byte[] one = query("web.default.minilb.", Type.A);
    byte[] q2 = Arrays.copyOfRange(one, 12, one.length);
    var out = new ByteArrayOutputStream();
    out.writeBytes(one);
    out.writeBytes(q2);
    return counts(out.toByteArray(), 2);
  }

  static Stream<Case> cases() {
    byte[] a = query("web.default.minilb.", Type.A);
    var list = new ArrayList<Case>();
    // the five found by the differential run
    list.add(new Case("DO is echoed", with(a, opt(1232, 0, true))));
    list.add(new Case("COOKIE of 5 bytes", edns(a, cookie(5))));
    list.add(new Case("COOKIE of 12 bytes", edns(a, cookie(12))));
    list.add(new Case("COOKIE of 41 bytes", edns(a, cookie(41))));
    list.add(new Case("two OPT records", with(a, opt(1232, 0, false), opt(1232, 0, false))));
    list.add(
        new Case("option running past the OPT", with(a, cut(opt(1232, 0, false, cookie(8)), 2))));
    list.add(
        new Case("cut-off option header", with(a, opt(1232, 0, false, new byte[] {0, 10, 0}))));
    list.add(new Case("IXFR with the client's SOA", ixfrWithSoa()));
    list.add(new Case("IXFR with the client's SOA and EDNS", edns(ixfrWithSoa())));
    // variants
    list.add(new Case("A, no EDNS", a));
    list.add(new Case("A, EDNS", edns(a)));
    list.add(new Case("A, EDNS, DO and cookie", with(a, opt(1232, 0, true, cookie(8)))));
    list.add(new Case("A, valid server cookie", edns(a, validCookie())));
    list.add(new Case("A, bogus server cookie", edns(a, cookie(24))));
    list.add(new Case("A, 40-byte cookie", edns(a, cookie(40))));
    list.add(new Case("A, NSID", edns(a, option(EdnsQuery.NSID, new byte[0]))));
    list.add(
        new Case(
            "A, NSID, cookie and an unknown option",
            edns(
                a,
                option(65001, new byte[] {1, 2}),
                option(EdnsQuery.NSID, new byte[0]),
                cookie(8))));
    list.add(new Case("A, two cookies", edns(a, cookie(8), cookie(8))));
    list.add(new Case("A, EDNS version 1", with(a, opt(1232, 1, false))));
    list.add(
        new Case("A, EDNS version 1 with a bad cookie", with(a, opt(1232, 1, false, cookie(5)))));
    list.add(new Case("A, EDNS size 100", with(a, opt(100, 0, false))));
    list.add(new Case("A, EDNS size 4096", with(a, opt(4096, 0, false))));
    list.add(new Case("A, OPT with a non-root owner", with(a, notRoot(opt(1232, 0, false)))));
    list.add(new Case("A, trailing bytes", with(a, new byte[0])));
    list.add(new Case("A, bytes after the OPT", cat(edns(a), new byte[] {0})));
    list.add(new Case("mixed case", edns(query("WeB.DeFaUlT.MiNiLb.", Type.A), cookie(8))));
    list.add(new Case("RD, AD and CD set", flags(edns(a), 0x01, 0x30)));
    list.add(new Case("AA and TC set in the query", flags(a, 0x06, 0x00)));
    list.add(new Case("AAAA", edns(query("dual.default.minilb.", Type.AAAA))));
    list.add(new Case("NODATA", edns(query("web.default.minilb.", Type.AAAA), cookie(8))));
    list.add(new Case("NXDOMAIN", edns(query("nope.default.minilb.", Type.A))));
    list.add(new Case("outside the zones", edns(query("example.com.", Type.A))));
    list.add(new Case("AXFR", edns(query("minilb.", Type.AXFR))));
    list.add(new Case("ANY", edns(query("web.default.minilb.", Type.ANY))));
    list.add(
        new Case(
            "class CH id.server",
            edns(query("id.server.", Type.TXT, DClass.CH), option(3, new byte[0]))));
    list.add(new Case("class CH version.bind", edns(query("version.bind.", Type.TXT, DClass.CH))));
    list.add(new Case("class ANY", edns(query("web.default.minilb.", Type.A, DClass.ANY))));
    list.add(new Case("class HS", query("web.default.minilb.", Type.A, DClass.HS)));
    for (int opcode : new int[] {1, 2, 4, 5, 6}) {
      list.add(new Case("opcode " + opcode, flags(edns(a), opcode << 3, 0)));
    }
    byte[] header = Arrays.copyOf(a, 12);
    list.add(new Case("QDCOUNT 0", counts(header, 0)));
    list.add(new Case("QDCOUNT 0 with a cookie", edns(counts(header, 0), cookie(8))));
    list.add(new Case("QDCOUNT 0 with EDNS only", edns(counts(header, 0))));
    list.add(new Case("QDCOUNT 2", edns(twoQuestions())));
    list.add(new Case("question cut short", cut(a, 3)));
    list.add(new Case("a response", flags(edns(a), 0x80, 0)));
    return list.stream();
  }

  private static byte[] cut(byte[] b, int n) {
    return Arrays.copyOf(b, b.length - n);
  }

  private static byte[] cat(byte[] a, byte[] b) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static byte[] notRoot(byte[] opt) {
    return cat(new byte[] {1, 'x'}, opt);
  }

  private static byte[] wire(Reply r) {
    return r instanceof Reply.Answer a ? a.wire() : null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bothPathsGiveTheSameBytes_andAReadableOptIsAnsweredWithOne(Case c) throws Exception {
    for (boolean udp : new boolean[] {true, false}) {
      Reply full = responder.respond(c.wire(), udp, CLIENT, later -> {});
      Reply general = responder.general(c.wire(), udp, CLIENT);

      assertThat(wire(full)).as(c + (udp ? " udp" : " tcp")).isEqualTo(wire(general));
      if (full instanceof Reply.Answer a && general instanceof Reply.Answer g) {
        assertThat(a.cookie()).isEqualTo(g.cookie());
      }
      if (EdnsQuery.scan(c.wire()) != null && wire(general) != null) {
        assertThat(new Message(wire(general)).getOPT()).as(c + ": OPT in the response").isNotNull();
      }
    }
  }

  @Test
  void theFastPathTakesTheCommonCases() {
    long taken =
        cases()
            .filter(
                c ->
                    FastPath.answer(
                            c.wire(),
                            true,
                            store.index(),
                            Answerer.DEFAULT_MAX_ANSWERS,
                            new EdnsPolicy("node-1", COOKIES),
                            CLIENT,
                            false)
                        != null)
            .count();

    assertThat(taken).isGreaterThanOrEqualTo(14);
  }

  private Message respond(byte[] wire) throws Exception {
    return new Message(wire(responder.respond(wire, true, CLIENT, later -> {})));
  }

  @Test
  void versionOne_isBadvers_evenWithOptionsOfAnotherShape() throws Exception {
    Message r = respond(with(query("web.default.minilb.", Type.A), opt(1232, 1, false, cookie(5))));

    assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
    OPTRecord opt = r.getOPT();
    assertThat(opt.getVersion()).isZero();
  }
}
