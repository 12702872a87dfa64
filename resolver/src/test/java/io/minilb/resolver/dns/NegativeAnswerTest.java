package io.minilb.resolver.dns;

import static io.minilb.resolver.dns.RawQuery.cookie;
import static io.minilb.resolver.dns.RawQuery.edns;
import static io.minilb.resolver.dns.RawQuery.opt;
import static io.minilb.resolver.dns.RawQuery.option;
import static io.minilb.resolver.dns.RawQuery.query;
import static io.minilb.resolver.dns.RawQuery.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * NXDOMAIN and NODATA for ordinary types come from the fast path, byte for byte what the general
 * path renders; empty non-terminals, wildcards, meta types and names outside the zones stay with
 * the general path.
 */
class NegativeAnswerTest {

  static final String ZONE =
      """
      minilb. 30 IN SOA ns.minilb. hostmaster.minilb. 42 60 30 3600 3
      minilb. 30 IN NS ns.minilb.
      ns.minilb. 5 IN A 192.168.1.53
      web.default.minilb. 5 IN A 10.244.0.10
      _http._tcp.web.default.minilb. 5 IN SRV 0 0 80 web.default.minilb.
      *.apps.minilb. 5 IN A 10.244.0.30
      a\\@b.default.minilb. 5 IN A 10.244.0.40
      sub.example. 5 IN SOA NS1.Other.NET. Admin.SUB.example. 7 60 30 3600 600
      www.sub.example. 5 IN A 10.0.0.1
      """;

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final ServerCookies COOKIES =
      ServerCookies.of(List.of(new byte[16]), () -> BothPathsTest.NOW);

  record Case(String description, byte[] wire, int rcode) {
    static final int GENERAL = -1;

    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("NXDOMAIN", query("nope.default.minilb.", Type.A), Rcode.NXDOMAIN),
        new Case("NXDOMAIN for AAAA", query("nope.minilb.", Type.AAAA), Rcode.NXDOMAIN),
        new Case("NXDOMAIN, mixed case", query("NoPe.DeFault.MINILB.", Type.A), Rcode.NXDOMAIN),
        new Case(
            "NXDOMAIN with EDNS, DO and a cookie",
            with(query("nope.default.minilb.", Type.A), opt(1232, 0, true, cookie(8))),
            Rcode.NXDOMAIN),
        new Case(
            "NXDOMAIN with NSID",
            edns(query("nope.default.minilb.", Type.A), option(EdnsQuery.NSID, new byte[0])),
            Rcode.NXDOMAIN),
        new Case("NODATA: AAAA of an A-only name", query("web.default.minilb.", Type.AAAA), 0),
        new Case("NODATA: TXT", edns(query("web.default.minilb.", Type.TXT)), 0),
        new Case("NODATA: MX at the apex", query("minilb.", Type.MX), 0),
        new Case("NODATA: SOA below the apex", query("ns.minilb.", Type.SOA), 0),
        new Case("NODATA: PTR", query("ns.minilb.", Type.PTR), 0),
        new Case("NODATA: SRV of an address name", query("web.default.minilb.", Type.SRV), 0),
        new Case("NODATA: CAA (type 257)", query("ns.minilb.", Type.CAA), 0),
        new Case("NXDOMAIN: SRV", query("_x._tcp.nope.minilb.", Type.SRV), Rcode.NXDOMAIN),
        new Case(
            "NXDOMAIN in a zone whose SOA names lie elsewhere, in other case",
            edns(query("nope.SUB.example.", Type.A)),
            Rcode.NXDOMAIN),
        new Case("NODATA at that zone's apex", query("sub.example.", Type.AAAA), 0),
        new Case(
            "NXDOMAIN beside the wildcard's parent", query("x.y.minilb.", Type.A), Rcode.NXDOMAIN),
        new Case(
            "empty non-terminal: general path", query("default.minilb.", Type.A), Case.GENERAL),
        new Case(
            "empty non-terminal below an owner: general path",
            query("_tcp.web.default.minilb.", Type.A),
            Case.GENERAL),
        new Case(
            "under a wildcard: general path", query("x.apps.minilb.", Type.AAAA), Case.GENERAL),
        new Case(
            "the wildcard's parent, an empty non-terminal: general path",
            query("apps.minilb.", Type.A),
            Case.GENERAL),
        new Case(
            "a name spelled with an escape in the index: general path",
            query("a\\@b.default.minilb.", Type.AAAA),
            Case.GENERAL),
        new Case("outside the zones: general path", query("example.com.", Type.A), Case.GENERAL),
        new Case("above a zone: general path", query("example.", Type.A), Case.GENERAL),
        new Case("ANY: general path", query("nope.minilb.", Type.ANY), Case.GENERAL),
        new Case("AXFR: general path", query("minilb.", Type.AXFR), Case.GENERAL),
        new Case("OPT as QTYPE: general path", query("nope.minilb.", Type.OPT), Case.GENERAL),
        new Case("type 0: general path", query("nope.minilb.", 0), Case.GENERAL),
        new Case(
            "EDNS version 1: general path",
            with(query("nope.minilb.", Type.A), opt(1232, 1, false)),
            Case.GENERAL));
  }

  private final Store store = new Store();
  private final QueryMetrics metrics = new QueryMetrics(new PrometheusRegistry());
  private final Responder responder =
      new Responder(
          store, new Answerer("node-1"), null, metrics, new EdnsPolicy("node-1", COOKIES), null);

  private byte[] fast(byte[] wire, boolean udp) {
    Reply.Answer a =
        FastPath.answer(
            wire,
            udp,
            store.index(),
            Answerer.DEFAULT_MAX_ANSWERS,
            new EdnsPolicy("node-1", COOKIES),
            CLIENT,
            false);
    return a == null ? null : a.wire();
  }

  private byte[] general(byte[] wire, boolean udp) {
    return responder.general(wire, udp, CLIENT) instanceof Reply.Answer a ? a.wire() : null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theFastPathTakesPlainNegativeAnswers_withTheGeneralPathsBytes(Case c) throws Exception {
    store.replace(ZoneText.snapshot(ZONE));
    for (boolean udp : new boolean[] {true, false}) {
      byte[] quick = fast(c.wire(), udp);
      if (c.rcode() == Case.GENERAL) {
        assertThat(quick).as(c + " left to the general path").isNull();
        continue;
      }
      assertThat(quick).as(c + " taken by the fast path").isNotNull();
      assertThat(quick).as(c + " same bytes").isEqualTo(general(c.wire(), udp));
      Message m = new Message(quick);
      assertThat(m.getRcode()).isEqualTo(c.rcode());
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
      assertThat(m.getSection(Section.AUTHORITY)).hasSize(1);
    }
  }

  @Test
  void aNegativeAnswerFromTheFastPath_isCountedWithItsRcode() {
    store.replace(ZoneText.snapshot(ZONE));
    var s = QueryScratch.forThisThread();
    for (byte[] wire :
        List.of(query("nope.minilb.", Type.A), query("web.default.minilb.", Type.AAAA))) {
      assertThat(s.load(wire)).isTrue();
      assertThat(responder.respond(s, true, CLIENT, later -> {})).isSameAs(Reply.BUILT);
    }

    assertThat(count("A", "NXDOMAIN")).isEqualTo(1);
    assertThat(count("AAAA", "NOERROR")).isEqualTo(1);
    assertThat(count("A", "NOERROR")).isZero();
  }

  private double count(String qtype, String rcode) {
    return metrics.collect().stream()
        .filter(m -> m.getMetadata().getName().equals("minilb_resolver_queries"))
        .flatMap(m -> m.getDataPoints().stream())
        .filter(
            p ->
                qtype.equals(p.getLabels().get("qtype"))
                    && rcode.equals(p.getLabels().get("rcode")))
        .mapToDouble(p -> ((CounterDataPointSnapshot) p).getValue())
        .sum();
  }

  @Test
  void theNegativeTtl_isTheSoaMinimum_whenLower() throws Exception {
    store.replace(ZoneText.snapshot(ZONE));
    Message m = new Message(fast(query("nope.minilb.", Type.A), true));
    assertThat(m.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(3);
    Message sub = new Message(fast(query("nope.sub.example.", Type.A), true));
    assertThat(sub.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(5);
  }

  @Test
  void whatMightNotFitTheClientsSize_isLeftToTheGeneralPath() throws Exception {
    String label = "x".repeat(60);
    String far = label + "." + label + "." + label + ".far.";
    store.replace(
        ZoneText.snapshot("long. 5 IN SOA ns.%s hostmaster.%s 1 60 30 3600 5".formatted(far, far)));
    byte[] wire = query(label + "." + label + "." + label + ".long.", Type.A);

    assertThat(fast(wire, true)).as("over 512 octets, UDP").isNull();
    assertThat(general(wire, true).length).isLessThanOrEqualTo(512);
    assertThat(fast(wire, false)).as("TCP").isNotNull().isEqualTo(general(wire, false));
  }

  /**
   * Thousands of random queries over a generated index (zones nested and apart, SOA names inside
   * and outside their zones, spelled in other case, wildcards, empty non-terminals, escaped
   * characters): whatever the fast path answers is the general path's bytes, over UDP and TCP, and
   * it answers the plain negative ones.
   */
  @Test
  void randomQueries_overARandomIndex_fastAndGeneralBytesAgree() throws Exception {
    for (int seed = 1; seed <= 6; seed++) {
      var random = new Random(seed);
      var owners = new ArrayList<String>();
      store.replace(ZoneText.snapshot(randomZone(random, owners)));
      int negatives = 0;
      int queries = 800;
      for (int i = 0; i < queries; i++) {
        byte[] wire = randomQuery(random, owners);
        boolean udp = random.nextBoolean();
        byte[] quick = fast(wire, udp);
        if (quick == null) {
          continue;
        }
        assertThat(quick)
            .as("seed %d: %s", seed, new Message(wire).getQuestion())
            .isEqualTo(general(wire, udp));
        if (EdnsQuery.u16(quick, 6) == 0) {
          negatives++;
        }
      }
      assertThat(negatives)
          .as("seed %d: negative answers on the fast path", seed)
          .isGreaterThan(queries / 5);
    }
  }

  private static final String[] LABELS = {
    "a", "B", "ns", "NS", "web", "default", "minilb", "sub", "x", "hostmaster", "mail", "_tcp"
  };
  private static final String[] APEXES = {
    "minilb.", "sub.minilb.", "example.", "b.a.example.", "10.in-addr.arpa."
  };
  private static final int[] TYPES = {
    Type.A,
    Type.A,
    Type.A,
    Type.AAAA,
    Type.AAAA,
    Type.TXT,
    Type.MX,
    Type.SRV,
    Type.NS,
    Type.PTR,
    Type.SOA,
    Type.CNAME,
    Type.CAA,
    Type.HTTPS,
    Type.ANY,
    Type.AXFR,
    Type.IXFR,
    Type.OPT,
    0,
    128,
    65280,
    65535
  };

  private static String randomName(Random r, int max) {
    var b = new StringBuilder();
    for (int i = 1 + r.nextInt(max); i > 0; i--) {
      b.append(LABELS[r.nextInt(LABELS.length)]).append('.');
    }
    return b.toString();
  }

  private static String randomZone(Random r, List<String> owners) {
    var lines = new StringBuilder();
    var apexes = new ArrayList<String>();
    for (String apex : APEXES) {
      if (apexes.isEmpty() || r.nextInt(3) > 0) {
        apexes.add(apex);
        String host = randomName(r, 3) + (r.nextBoolean() ? apex : APEXES[r.nextInt(5)]);
        String admin = randomName(r, 2) + (r.nextBoolean() ? apex : host);
        lines.append(
            "%s %d IN SOA %s %s 1 60 30 3600 %d\n"
                .formatted(apex, 1 + r.nextInt(60), host, admin, 1 + r.nextInt(60)));
        owners.add(apex);
      }
    }
    var seen = new LinkedHashSet<String>();
    for (int i = 0; i < 60; i++) {
      String apex = apexes.get(r.nextInt(apexes.size()));
      String owner = (r.nextInt(8) == 0 ? "*." : "") + randomName(r, 3) + apex;
      if (r.nextInt(15) == 0) {
        owner = "q\\@" + owner;
      }
      int type = new int[] {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.SRV}[r.nextInt(5)];
      if (!seen.add(owner.toLowerCase() + type)) {
        continue; // one record per RRset: both paths then answer the same record
      }
      String rdata =
          switch (type) {
            case Type.A -> "10.0.0." + r.nextInt(256);
            case Type.AAAA -> "fd00::" + r.nextInt(256);
            case Type.TXT -> "\"t\"";
            case Type.MX -> "10 mail." + apex;
            default -> "0 0 80 web." + apex;
          };
      lines.append("%s 5 IN %s %s\n".formatted(owner, Type.string(type), rdata));
      owners.add(owner);
    }
    return lines.toString();
  }

  private static byte[] randomQuery(Random r, List<String> owners) {
    String base = owners.get(r.nextInt(owners.size())).replace("*.", "");
    String name =
        switch (r.nextInt(5)) {
          case 0 -> base;
          case 1 -> base.substring(base.indexOf('.') + 1); // often an empty non-terminal
          case 2 -> "nx" + r.nextInt(1000) + "." + base;
          case 3 -> randomName(r, 2) + base;
          default -> randomName(r, 4);
        };
    if (name.isEmpty() || name.equals(".")) {
      name = "minilb.";
    }
    var cased = new StringBuilder();
    for (char c : name.toCharArray()) {
      cased.append(r.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
    }
    byte[] q = query(cased.toString(), TYPES[r.nextInt(TYPES.length)]);
    if (r.nextBoolean()) {
      q[2] |= 0x01; // RD
    }
    return switch (r.nextInt(5)) {
      case 0 -> q;
      case 1 -> edns(q);
      case 2 -> with(q, opt(512 + r.nextInt(4000), 0, r.nextBoolean(), cookie(8)));
      case 3 -> edns(q, option(EdnsQuery.NSID, new byte[0]));
      default -> with(q, opt(r.nextInt(600), 0, true));
    };
  }
}
