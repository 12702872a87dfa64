package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.dns.ZoneText;
import io.minilb.resolver.store.ZoneIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resolver fed a fixed snapshot, driven by ISC dig and Knot kdig over real sockets: every case
 * checks rcode, header flags and the content of each section, for both tools.
 */
class RealClientIT {

  static final String ZONE =
      """
      minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 2026112501 60 30 3600 3
      minilb. 5 IN NS ns.minilb.
      ns.minilb. 5 IN A 192.168.1.53
      web.default.minilb. 5 IN A 10.244.0.10
      web.default.minilb. 5 IN A 10.244.1.11
      web.default.minilb. 5 IN A 10.244.2.12
      dual.default.minilb. 5 IN A 10.244.0.20
      dual.default.minilb. 5 IN AAAA fd00:10:244::20
      web-0.web.default.minilb. 5 IN A 10.244.0.10
      _http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-0.web.default.minilb.
      apps.example.com. 5 IN SOA ns.minilb. hostmaster.minilb. 2026112501 60 30 3600 3
      apps.example.com. 5 IN NS ns.minilb.
      *.apps.example.com. 5 IN A 10.244.1.1
      0.244.10.in-addr.arpa. 5 IN SOA ns.minilb. hostmaster.minilb. 2026112501 60 30 3600 3
      0.244.10.in-addr.arpa. 5 IN NS ns.minilb.
      10.0.244.10.in-addr.arpa. 5 IN PTR web-0.web.default.minilb.
      10.0.244.10.in-addr.arpa. 5 IN PTR web.default.minilb.
      """;

  static final String UPSTREAM_ZONE =
      """
      example. 60 IN SOA ns.example. hostmaster.example. 1 60 30 3600 60
      www.example. 60 IN A 192.0.2.80
      """;

  static final String NEG =
      "minilb. 3 IN SOA ns.minilb. hostmaster.minilb. 2026112501 60 30 3600 3";
  static final String WEB_A =
      "web.default.minilb. 5 IN A 10.244.0.10|web.default.minilb. 5 IN A 10.244.1.11|web.default.minilb. 5 IN A 10.244.2.12";

  static Served plain;
  static Served forwarding;
  static Served upstream;

  /** One check: which server, the arguments per tool, and what every part of the answer must be. */
  record Case(
      String name,
      boolean viaForwarder,
      List<String> digArgs,
      List<String> kdigArgs,
      String status,
      Set<String> flagsSet,
      Set<String> flagsUnset,
      String answer,
      String authority,
      String additional) {

    List<String> args(String tool) {
      return tool.equals("dig") ? digArgs : kdigArgs;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case c(
      String name,
      String args,
      String status,
      String set,
      String unset,
      String answer,
      String authority,
      String additional) {
    var a = List.of(args.split(" "));
    return new Case(
        name, false, a, a, status, flags(set), flags(unset), answer, authority, additional);
  }

  static Stream<Case> cases() {
    var big = new StringBuilder();
    for (int i = 1; i <= 60; i++) {
      big.append(i > 1 ? "|" : "").append("big.default.minilb. 5 IN A 10.244.3.").append(i);
    }
    var list =
        new ArrayList<>(
            List.of(
                c(
                    "A, UDP, no EDNS",
                    "+noedns web.default.minilb A",
                    "NOERROR",
                    "qr aa",
                    "ra tc",
                    WEB_A,
                    "",
                    ""),
                c(
                    "A, UDP, EDNS",
                    "+edns=0 web.default.minilb A",
                    "NOERROR",
                    "qr aa",
                    "ra tc",
                    WEB_A,
                    "",
                    ""),
                c(
                    "A, TCP, no EDNS",
                    "+tcp +noedns web.default.minilb A",
                    "NOERROR",
                    "qr aa",
                    "ra tc",
                    WEB_A,
                    "",
                    ""),
                c(
                    "A, TCP, EDNS",
                    "+tcp +edns=0 web.default.minilb A",
                    "NOERROR",
                    "qr aa",
                    "ra",
                    WEB_A,
                    "",
                    ""),
                c(
                    "RD is copied when set",
                    "+rec web.default.minilb A",
                    "NOERROR",
                    "qr aa rd",
                    "ra",
                    WEB_A,
                    "",
                    ""),
                c(
                    "RD stays clear when clear",
                    "+norec web.default.minilb A",
                    "NOERROR",
                    "qr aa",
                    "rd ra",
                    WEB_A,
                    "",
                    ""),
                c(
                    "AAAA of a dual-stack name",
                    "dual.default.minilb AAAA",
                    "NOERROR",
                    "aa",
                    "",
                    "dual.default.minilb. 5 IN AAAA fd00:10:244::20",
                    "",
                    ""),
                c(
                    "NODATA carries the SOA with TTL min(TTL, MINIMUM)",
                    "web.default.minilb AAAA",
                    "NOERROR",
                    "aa",
                    "",
                    "",
                    NEG,
                    ""),
                c("NODATA for TXT", "web.default.minilb TXT", "NOERROR", "aa", "", "", NEG, ""),
                c(
                    "NXDOMAIN carries the SOA",
                    "nope.default.minilb A",
                    "NXDOMAIN",
                    "aa",
                    "ra",
                    "",
                    NEG,
                    ""),
                c(
                    "NXDOMAIN over TCP",
                    "+tcp nope.default.minilb A",
                    "NXDOMAIN",
                    "aa",
                    "",
                    "",
                    NEG,
                    ""),
                c(
                    "empty non-terminal is NODATA (RFC 8020)",
                    "default.minilb A",
                    "NOERROR",
                    "aa",
                    "",
                    "",
                    NEG,
                    ""),
                c(
                    "below an existing name is NXDOMAIN",
                    "x.web.default.minilb A",
                    "NXDOMAIN",
                    "aa",
                    "",
                    "",
                    NEG,
                    ""),
                c(
                    "apex SOA",
                    "minilb SOA",
                    "NOERROR",
                    "aa",
                    "",
                    "minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 2026112501 60 30 3600 3",
                    "",
                    ""),
                c(
                    "apex NS with glue",
                    "minilb NS",
                    "NOERROR",
                    "aa",
                    "",
                    "minilb. 5 IN NS ns.minilb.",
                    "",
                    "ns.minilb. 5 IN A 192.168.1.53"),
                c("apex A is NODATA", "minilb A", "NOERROR", "aa", "", "", NEG, ""),
                c(
                    "outside the zones is REFUSED",
                    "example.com A",
                    "REFUSED",
                    "qr",
                    "aa ra",
                    "",
                    "",
                    ""),
                c(
                    "outside the zones over TCP is REFUSED",
                    "+tcp www.example A",
                    "REFUSED",
                    "qr",
                    "aa",
                    "",
                    "",
                    ""),
                c(
                    "ANY gets the RFC 8482 HINFO",
                    "web.default.minilb ANY",
                    "NOERROR",
                    "aa",
                    "",
                    "web.default.minilb. 3 IN HINFO \"RFC8482\" \"\"",
                    "",
                    ""),
                // kdig lower-cases the name it sends, so only dig can show the echo of mixed case.
                new Case(
                    "the question's case is echoed",
                    false,
                    List.of("WeB.DeFaUlT.MiNiLb", "A"),
                    List.of("web.default.minilb", "A"),
                    "NOERROR",
                    flags("aa"),
                    flags(""),
                    WEB_A,
                    "",
                    ""),
                new Case(
                    "an unknown EDNS version gets BADVERS",
                    false,
                    List.of("+edns=1", "+noednsneg", "web.default.minilb", "A"),
                    List.of("+edns=1", "web.default.minilb", "A"),
                    "BADVERS",
                    flags("qr"),
                    flags("aa"),
                    "",
                    "",
                    ""),
                c(
                    "CH TXT id.server names the resolver",
                    "-c CH -t TXT id.server",
                    "NOERROR",
                    "aa",
                    "",
                    "id.server. 0 CH TXT \"node-1\"",
                    "",
                    ""),
                c(
                    "CH TXT hostname.bind names the resolver",
                    "-c CH -t TXT hostname.bind",
                    "NOERROR",
                    "aa",
                    "",
                    "hostname.bind. 0 CH TXT \"node-1\"",
                    "",
                    ""),
                c(
                    "other CH names are REFUSED",
                    "-c CH -t TXT version.bind",
                    "REFUSED",
                    "qr",
                    "aa",
                    "",
                    "",
                    ""),
                c(
                    "EDNS 1232 fits the whole answer",
                    "+bufsize=1232 big.default.minilb A",
                    "NOERROR",
                    "aa",
                    "tc",
                    big.toString(),
                    "",
                    ""),
                c(
                    "TCP returns the full answer",
                    "+tcp +noedns big.default.minilb A",
                    "NOERROR",
                    "aa",
                    "tc",
                    big.toString(),
                    "",
                    ""),
                c(
                    "one-label wildcard host",
                    "shop.apps.example.com A",
                    "NOERROR",
                    "aa",
                    "",
                    "shop.apps.example.com. 5 IN A 10.244.1.1",
                    "",
                    ""),
                c(
                    "a wildcard never matches two labels",
                    "a.b.apps.example.com A",
                    "NXDOMAIN",
                    "aa",
                    "",
                    "",
                    "apps.example.com. 3 IN SOA ns.minilb. hostmaster.minilb. 2026112501 60 30 3600 3",
                    ""),
                c(
                    "SRV with target addresses in additional",
                    "_http._tcp.web.default.minilb SRV",
                    "NOERROR",
                    "aa",
                    "",
                    "_http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-0.web.default.minilb.",
                    "",
                    "web-0.web.default.minilb. 5 IN A 10.244.0.10"),
                c(
                    "PTR of a published pod IP",
                    "-x 10.244.0.10",
                    "NOERROR",
                    "aa",
                    "",
                    "10.0.244.10.in-addr.arpa. 5 IN PTR web-0.web.default.minilb.|10.0.244.10.in-addr.arpa. 5 IN PTR web.default.minilb.",
                    "",
                    ""),
                c(
                    "PTR outside the pod CIDRs is REFUSED",
                    "-x 192.0.2.1",
                    "REFUSED",
                    "qr",
                    "aa",
                    "",
                    "",
                    "")));
    list.add(
        new Case(
            "NOTIFY gets NOTIMP",
            false,
            List.of("+opcode=notify", "web.default.minilb", "SOA"),
            List.of("web.default.minilb", "NOTIFY"),
            "NOTIMP",
            flags("qr"),
            flags("aa"),
            "",
            "",
            ""));
    list.add(
        new Case(
            "outside the zones, forwarded for an allowed client, passes through",
            true,
            List.of("www.example", "A"),
            List.of("www.example", "A"),
            "NOERROR",
            flags("qr aa"),
            flags(""),
            "www.example. 60 IN A 192.0.2.80",
            "",
            ""));
    list.add(
        new Case(
            "forwarded over TCP",
            true,
            List.of("+tcp", "www.example", "A"),
            List.of("+tcp", "www.example", "A"),
            "NOERROR",
            flags("aa"),
            flags(""),
            "www.example. 60 IN A 192.0.2.80",
            "",
            ""));
    list.add(
        new Case(
            "the zones are still answered locally when forwarding",
            true,
            List.of("web.default.minilb", "A"),
            List.of("web.default.minilb", "A"),
            "NOERROR",
            flags("aa"),
            flags("ra"),
            WEB_A,
            "",
            ""));
    return list.stream();
  }

  static Stream<Arguments> toolsAndCases() {
    return Stream.of("dig", "kdig").flatMap(tool -> cases().map(c -> Arguments.of(tool, c)));
  }

  @BeforeAll
  static void start() throws Exception {
    var big = new StringBuilder(ZONE);
    for (int i = 1; i <= 60; i++) {
      big.append("big.default.minilb. 5 IN A 10.244.3.").append(i).append('\n');
    }
    upstream = Served.start(UPSTREAM_ZONE);
    // --max-answers above the big set's 60 records, so whole answers can be compared; the window
    // and the size rule for larger sets are MaxAnswersIT's.
    plain = Served.start(big.toString(), b -> b.nodeName("node-1").maxAnswers(64));
    forwarding =
        Served.start(big.toString(), b -> b.nodeName("node-1").upstream(upstream.address()));
  }

  @AfterAll
  static void stop() {
    Stream.of(plain, forwarding, upstream).forEach(Served::close);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("toolsAndCases")
  void realClient(String tool, Case c) throws IOException, InterruptedException {
    Served server = c.viaForwarder() ? forwarding : plain;

    Dig d = Dig.run(tool, server.port(), c.args(tool).toArray(String[]::new));

    assertThat(d.status()).as("status\n" + d.raw()).isEqualTo(c.status());
    assertThat(d.flags()).as("flags\n" + d.raw()).containsAll(c.flagsSet());
    c.flagsUnset()
        .forEach(
            f -> assertThat(d.flags()).as("flag " + f + " unset\n" + d.raw()).doesNotContain(f));
    String answer =
        c.args(tool).get(0).equals("WeB.DeFaUlT.MiNiLb")
            ? c.answer().replace("web.default.minilb.", "WeB.DeFaUlT.MiNiLb.")
            : c.answer();
    assertThat(d.answer())
        .as("answer\n" + d.raw())
        .containsExactlyInAnyOrderElementsOf(lines(answer));
    assertThat(d.authority())
        .as("authority\n" + d.raw())
        .containsExactlyInAnyOrderElementsOf(lines(c.authority()));
    assertThat(d.additional())
        .as("additional\n" + d.raw())
        .containsExactlyInAnyOrderElementsOf(lines(c.additional()));
  }

  private static List<String> lines(String s) {
    return s.isEmpty() ? List.of() : List.of(s.split("\\|"));
  }

  private static Set<String> flags(String s) {
    return s.isBlank() ? Set.of() : Set.of(s.trim().split(" "));
  }

  /** A ZoneIndex of zone-file lines; every SOA owner is a served zone. */
  static ZoneIndex index(String lines) {
    return ZoneText.index(lines);
  }
}
