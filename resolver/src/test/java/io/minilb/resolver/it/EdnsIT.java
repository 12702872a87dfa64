package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.resolver.Resolver;
import io.minilb.resolver.ResolverConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * EDNS as dig and kdig see it, from a resolver started from its config: DO echoed, NSID, cookies,
 * malformed COOKIE options, IXFR with the client's SOA, and Extended DNS Errors. The resolver
 * answers from its snapshot file with no controller, so its answers are stale (EDE 3).
 */
class EdnsIT {

  static Served served;

  @BeforeAll
  static void start() throws Exception {
    served = Served.start(RealClientIT.ZONE, b -> b.nodeName("node-1"));
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  static Stream<String> tools() {
    return Stream.of("dig", "kdig");
  }

  /** Runs the tool with EDNS (dig's default; kdig needs {@code +edns}). */
  private static Dig run(String tool, String... args) throws Exception {
    return runOn(served.port(), tool, args);
  }

  private static Dig runOn(int port, String tool, String... args) throws Exception {
    var all = new java.util.ArrayList<String>();
    if (tool.equals("kdig")) {
      all.add("+edns");
    }
    all.addAll(List.of(args));
    return Dig.run(tool, port, all.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void theDoBitIsEchoed(String tool) throws Exception {
    Dig d = run(tool, "+dnssec", "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.raw()).containsPattern("flags: do");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void nsidNamesTheResolver(String tool) throws Exception {
    Dig d = run(tool, "+nsid", "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.raw()).containsPattern("NSID: .*node-1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void aClientCookieGetsAServerCookie(String tool) throws Exception {
    Dig d = run(tool, "+cookie", "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.answer()).hasSize(3);
    String cookieLine =
        d.raw().lines().filter(l -> l.contains("COOKIE")).findFirst().orElse("none");
    // client cookie (16 hex digits) + server cookie of 16 bytes (32 hex digits), RFC 9018 version 1
    assertThat(cookieLine.replaceAll("[^0-9a-fA-F]", " "))
        .as(d.raw())
        .containsPattern("[0-9a-fA-F]{16}01000000[0-9a-fA-F]{24}|[0-9a-fA-F]{48}");
    if (tool.equals("dig")) {
      assertThat(cookieLine).contains("(good)");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void aBogusServerCookie_isAnsweredNormallyWithAFreshOne(String tool) throws Exception {
    String bogus = "2464c4abcf10c957" + "01000000" + "00000000" + "0102030405060708";

    Dig d = run(tool, "+cookie=" + bogus, "web.default.minilb", "A");

    assertThat(d.status()).as(d.raw()).isEqualTo("NOERROR");
    assertThat(d.answer()).hasSize(3);
    String cookieLine =
        d.raw().lines().filter(l -> l.contains("COOKIE")).findFirst().orElse("none");
    assertThat(cookieLine.toLowerCase())
        .contains("2464c4abcf10c957")
        .doesNotContain("0102030405060708");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void aCookieOfABadLength_isFormerrWithAnOptAndTheQuestion(String tool) throws Exception {
    for (String cookie : List.of("0102030405", "0102030405060708090a0b0c", "01".repeat(41))) {
      Dig d = run(tool, "+ednsopt=10:" + cookie, "web.default.minilb", "A");

      assertThat(d.status()).as(d.raw()).isEqualTo("FORMERR");
      assertThat(d.raw()).as(d.raw()).containsAnyOf("OPT PSEUDOSECTION", "EDNS PSEUDOSECTION");
      assertThat(d.raw()).as(d.raw()).contains("web.default.minilb.").doesNotContain("+noedns");
    }
  }

  /** Only kdig shows the rcode of a failed transfer (dig prints no header in transfer mode). */
  @Test
  void ixfrWithTheClientsSoa_isRefusedLikeAxfr() throws Exception {
    for (String transport : List.of("+notcp", "+tcp")) {
      Dig d = run("kdig", transport, "minilb", "-t", "IXFR=2026112500");

      assertThat(d.raw()).as(d.raw()).contains("server replied with error 'REFUSED'");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void outsideTheZones_isRefusedAsNotAuthoritative(String tool) throws Exception {
    Dig d = run(tool, "example.com", "A");

    assertThat(d.status()).isEqualTo("REFUSED");
    assertThat(d.raw()).as(d.raw()).contains("20").containsIgnoringCase("Not Authoritative");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void answersFromUnconfirmedData_carryStaleAnswer(String tool) throws Exception {
    Dig d = run(tool, "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.raw()).as(d.raw()).containsIgnoringCase("Stale Answer");
    Dig noEdns = run(tool, "+noedns", "web.default.minilb", "A");
    assertThat(noEdns.raw()).doesNotContainIgnoringCase("Stale Answer");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void beforeTheFirstSnapshot_servfailIsNotReady(String tool) throws Exception {
    try (Resolver empty =
        Resolver.start(ResolverConfig.builder(List.of(Served.NO_CONTROLLER)).build())) {
      Dig d = runOn(empty.dnsAddress().getPort(), tool, "web.default.minilb", "A");

      assertThat(d.status()).isEqualTo("SERVFAIL");
      assertThat(d.raw()).as(d.raw()).contains("14").containsIgnoringCase("Not Ready");
    }
  }

  @Test
  void overTcpToo_nsidAndCookie() throws Exception {
    Dig d = run("dig", "+tcp", "+nsid", "+cookie", "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.raw()).contains("(\"node-1\")").contains("(good)");
  }

  @Test
  void withRateLimiting_aValidCookieIsNeverLimited_andACookieSlipIsBadcookie() throws Exception {
    try (var server = Served.start(RealClientIT.ZONE, b -> b.rateLimit(5, 1));
        var socket = new DatagramSocket()) {
      socket.setSoTimeout(500);
      byte[] client = HexFormat.of().parseHex("2464c4abcf10c957");
      Message first = exchange(socket, server, query(1, new CookieOption(client)));
      byte[] serverCookie =
          ((CookieOption) first.getOPT().getOptions(EDNSOption.Code.COOKIE).get(0))
              .getServerCookie()
              .orElseThrow();

      int full = 0;
      for (int i = 0; i < 50; i++) {
        Message r = exchange(socket, server, query(i, new CookieOption(client, serverCookie)));
        if (r != null && r.getSection(Section.ANSWER).size() == 3) {
          full++;
        }
      }
      assertThat(full).as("a valid cookie is never limited").isEqualTo(50);

      int badcookie = 0;
      for (int i = 0; i < 50; i++) {
        Message r = exchange(socket, server, query(i, new CookieOption(client)));
        if (r != null && r.getRcode() == 23) {
          badcookie++;
          assertThat(r.getOPT().getOptions(EDNSOption.Code.COOKIE)).hasSize(1);
          assertThat(r.getSection(Section.ANSWER)).isEmpty();
        }
      }
      assertThat(badcookie).as("slips as BADCOOKIE").isGreaterThan(30);
    }
  }

  private static byte[] query(int id, CookieOption cookie) throws Exception {
    Message q =
        Message.newQuery(
            org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString("web.default.minilb."), Type.A, 1));
    q.getHeader().setID(id);
    q.addRecord(new OPTRecord(1232, 0, 0, 0, cookie), Section.ADDITIONAL);
    return q.toWire();
  }

  private static Message exchange(DatagramSocket socket, Served server, byte[] q) throws Exception {
    socket.send(new DatagramPacket(q, q.length, server.address()));
    var p = new DatagramPacket(new byte[1500], 1500);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException dropped) {
      return null;
    }
    Message m = new Message(Arrays.copyOf(p.getData(), p.getLength()));
    assertThat(m.getRcode()).isIn(Rcode.NOERROR, 23);
    return m;
  }
}
