package io.minilb.resolver.it;

import static io.minilb.resolver.it.QueryWire.AA;
import static io.minilb.resolver.it.QueryWire.AD;
import static io.minilb.resolver.it.QueryWire.CD;
import static io.minilb.resolver.it.QueryWire.DO;
import static io.minilb.resolver.it.QueryWire.QR;
import static io.minilb.resolver.it.QueryWire.RA;
import static io.minilb.resolver.it.QueryWire.RD;
import static io.minilb.resolver.it.QueryWire.TC;
import static io.minilb.resolver.it.QueryWire.Z;
import static io.minilb.resolver.it.QueryWire.bytes;
import static io.minilb.resolver.it.QueryWire.cat;
import static io.minilb.resolver.it.QueryWire.name;
import static io.minilb.resolver.it.QueryWire.opt;
import static io.minilb.resolver.it.QueryWire.option;
import static io.minilb.resolver.it.QueryWire.record;
import static io.minilb.resolver.it.QueryWire.u16;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Type;

/**
 * The systematic query variants {@link KnotOracleIT} sends to both servers, each named {@code
 * group/detail} so that docs/DNS.md can point at them with globs. Every case is sent over UDP and
 * over TCP.
 */
final class OracleCases {

  /** The zone both servers serve: RealClientIT's plus one RRset too big for 512 bytes. */
  static final String ZONE = RealClientIT.ZONE + big();

  private static final String WEB = "web.default.minilb.";
  private static final int COOKIE = EDNSOption.Code.COOKIE;
  private static final int NSID = EDNSOption.Code.NSID;
  private static final int PADDING = EDNSOption.Code.PADDING;

  private static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put("apex", "minilb.");
    NAMES.put("host", WEB);
    NAMES.put("dual", "dual.default.minilb.");
    NAMES.put("ent", "default.minilb.");
    NAMES.put("nx", "nx.default.minilb.");
    NAMES.put("below-leaf", "x.web-0.web.default.minilb.");
    NAMES.put("srv", "_http._tcp.web.default.minilb.");
    NAMES.put("srv-ent", "_tcp.web.default.minilb.");
    NAMES.put("ns-host", "ns.minilb.");
    NAMES.put("wild", "x.apps.example.com.");
    NAMES.put("wild-deep", "a.b.apps.example.com.");
    NAMES.put("wild-owner", "*.apps.example.com.");
    NAMES.put("extra-apex", "apps.example.com.");
    NAMES.put("ptr", "10.0.244.10.in-addr.arpa.");
    NAMES.put("ptr-apex", "0.244.10.in-addr.arpa.");
    NAMES.put("ptr-nx", "11.0.244.10.in-addr.arpa.");
    NAMES.put("outside", "example.com.");
    NAMES.put("root", ".");
  }

  private static final Map<String, Integer> TYPES = new LinkedHashMap<>();

  static {
    for (String t :
        List.of(
            "A", "AAAA", "SRV", "PTR", "SOA", "NS", "TXT", "ANY", "CNAME", "MX", "RRSIG", "DNSKEY",
            "DS", "HINFO")) {
      TYPES.put(t, Type.value(t));
    }
    TYPES.put("TYPE65280", 65280);
  }

  record Case(String name, byte[] wire) {
    @Override
    public String toString() {
      return name;
    }
  }

  private final List<Case> cases = new ArrayList<>();

  private OracleCases() {}

  static List<Case> all() {
    var c = new OracleCases();
    c.headerFlags();
    c.opcodes();
    c.classes();
    c.typesByName();
    c.transfers();
    c.spellings();
    c.edns();
    c.options();
    c.malformed();
    return List.copyOf(c.cases);
  }

  private void add(String name, Supplier<QueryWire> q) {
    cases.add(new Case(name, q.get().bytes()));
  }

  private void headerFlags() {
    int[] bits = {RD, CD, AD, TC, QR, Z};
    String[] names = {"rd", "cd", "ad", "tc", "qr", "z"};
    for (int combo = 0; combo < 1 << bits.length; combo++) {
      int flags = 0;
      var label = new ArrayList<String>();
      for (int i = 0; i < bits.length; i++) {
        if ((combo & (1 << i)) != 0) {
          flags |= bits[i];
          label.add(names[i]);
        }
      }
      int f = flags;
      String l = label.isEmpty() ? "none" : String.join("+", label);
      add("flags/" + l, () -> QueryWire.of(WEB, Type.A).flags(f));
    }
    add("flags/aa", () -> QueryWire.of(WEB, Type.A).flags(AA));
    add("flags/ra", () -> QueryWire.of(WEB, Type.A).flags(RA));
    add(
        "flags/rd+cd+ad/edns-do",
        () -> QueryWire.of(WEB, Type.A).flags(RD | CD | AD).edns(1232, 0, DO));
    add("flags/cd/nx", () -> QueryWire.of("nx.default.minilb.", Type.A).flags(RD | CD));
    add("flags/cd/outside", () -> QueryWire.of("example.com.", Type.A).flags(RD | CD));
  }

  private void opcodes() {
    for (int op = 0; op < 16; op++) {
      int o = op;
      add("opcode/" + op, () -> QueryWire.of(WEB, Type.A).opcode(o));
      add("opcode/" + op + "/edns", () -> QueryWire.of(WEB, Type.A).opcode(o).edns());
    }
    // NOTIFY as a primary would send it: SOA question, AA, no RD.
    add(
        "opcode/4/notify-soa",
        () -> QueryWire.of("minilb.", Type.SOA).opcode(4).flags(AA | 4 << 11));
  }

  private void classes() {
    var classes = Map.of("IN", 1, "CH", 3, "HS", 4, "NONE", 254, "ANY", 255, "CLASS1234", 1234);
    for (var e : new TreeMap<>(classes).entrySet()) {
      add(
          "class/" + e.getKey() + "/host/A",
          () -> new QueryWire().question(WEB, Type.A, e.getValue()));
      add(
          "class/" + e.getKey() + "/apex/SOA",
          () -> new QueryWire().question("minilb.", Type.SOA, e.getValue()));
    }
    for (String n :
        List.of(
            "id.server.",
            "hostname.bind.",
            "version.bind.",
            "version.server.",
            "ID.SERVER.",
            "authors.bind.",
            "foo.bind.")) {
      add("chaos/" + n + "/TXT", () -> new QueryWire().question(n, Type.TXT, 3));
    }
    add("chaos/id.server./A", () -> new QueryWire().question("id.server.", Type.A, 3));
    add("chaos/id.server./ANY", () -> new QueryWire().question("id.server.", Type.ANY, 3));
    add(
        "chaos/id.server./TXT/nsid",
        () ->
            new QueryWire()
                .question("id.server.", Type.TXT, 3)
                .edns(1232, 0, 0, option(NSID, new byte[0])));
  }

  private void typesByName() {
    for (var n : NAMES.entrySet()) {
      for (var t : TYPES.entrySet()) {
        add(
            "type/" + n.getKey() + "/" + t.getKey(),
            () -> QueryWire.of(n.getValue(), t.getValue()));
      }
    }
    add("type/big/A", () -> QueryWire.of("big.default.minilb.", Type.A));
    add("type/big/ANY", () -> QueryWire.of("big.default.minilb.", Type.ANY));
    add("type/apex/OPT", () -> QueryWire.of("minilb.", Type.OPT));
    add("type/host/TYPE0", () -> QueryWire.of(WEB, 0));
  }

  private void transfers() {
    for (String n : List.of("minilb.", WEB, "example.com.")) {
      for (var t :
          Map.of("AXFR", Type.AXFR, "IXFR", Type.IXFR, "MAILB", Type.MAILB, "MAILA", Type.MAILA)
              .entrySet()) {
        add("xfr/" + n + "/" + t.getKey(), () -> QueryWire.of(n, t.getValue()));
      }
    }
    // IXFR as RFC 1995 asks for it: the client's SOA in the authority section.
    byte[] soa =
        record(
            "minilb.",
            Type.SOA,
            1,
            5,
            cat(
                name("ns.minilb."),
                name("hostmaster.minilb."),
                u16(0x78C3),
                u16(0x4A05),
                u16(0),
                u16(60),
                u16(0),
                u16(30),
                u16(0),
                u16(3600),
                u16(0),
                u16(3)));
    add("xfr/minilb./IXFR/soa", () -> QueryWire.of("minilb.", Type.IXFR).authority(soa));
    add(
        "xfr/minilb./IXFR/soa/edns",
        () -> QueryWire.of("minilb.", Type.IXFR).authority(soa).edns());
  }

  private void spellings() {
    add("case/host", () -> QueryWire.of("WEB.Default.MiniLB.", Type.A));
    add("case/host/edns", () -> QueryWire.of("WEB.Default.MiniLB.", Type.A).edns());
    add("case/dual/AAAA", () -> QueryWire.of("Dual.DEFAULT.minilb.", Type.AAAA));
    add("case/apex/SOA", () -> QueryWire.of("MiNiLb.", Type.SOA));
    add("case/apex/NS", () -> QueryWire.of("MINILB.", Type.NS));
    add("case/nx", () -> QueryWire.of("NX.Default.MINILB.", Type.A));
    add("case/ent", () -> QueryWire.of("DEFAULT.minilb.", Type.A));
    add("case/srv", () -> QueryWire.of("_HTTP._TCP.Web.Default.Minilb.", Type.SRV));
    add("case/wild", () -> QueryWire.of("X.APPS.Example.COM.", Type.A));
    add("case/ptr", () -> QueryWire.of("10.0.244.10.IN-ADDR.ARPA.", Type.PTR));
    add("case/chaos", () -> new QueryWire().question("Id.Server.", Type.TXT, 3));
    add("escape/dot-in-label", () -> QueryWire.of("web\\.default.minilb.", Type.A));
    add("escape/space", () -> QueryWire.of("w\\032eb.default.minilb.", Type.A));
    add("escape/nul", () -> QueryWire.of("web\\000.default.minilb.", Type.A));
    add("escape/high-byte", () -> QueryWire.of("w\\255b.default.minilb.", Type.A));
    add("escape/wild-label", () -> QueryWire.of("\\(x\\).apps.example.com.", Type.A));
    add("escape/label-63", () -> QueryWire.of("a".repeat(63) + ".minilb.", Type.A));
    String longName = ("b".repeat(62) + ".").repeat(3) + "c".repeat(57) + ".minilb.";
    add("escape/name-255", () -> QueryWire.of(longName, Type.A));
  }

  private void edns() {
    for (int v : new int[] {0, 1, 255}) {
      for (int flags : new int[] {0, DO}) {
        String d = flags == 0 ? "" : "/do";
        add("edns/v" + v + d, () -> QueryWire.of(WEB, Type.A).edns(1232, v, flags));
        add(
            "edns/v" + v + d + "/nx",
            () -> QueryWire.of("nx.default.minilb.", Type.A).edns(1232, v, flags));
      }
    }
    add("edns/v1/outside", () -> QueryWire.of("example.com.", Type.A).edns(1232, 1, 0));
    add("edns/v1/opcode-5", () -> QueryWire.of(WEB, Type.A).opcode(5).edns(1232, 1, 0));
    add("edns/flags-z", () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0x4001));
    add(
        "edns/ext-rcode-set",
        () ->
            QueryWire.of(WEB, Type.A)
                .additional(cat(bytes(0), u16(41), u16(1232), bytes(1, 0, 0, 0), u16(0))));
    for (int size : new int[] {0, 511, 512, 1232, 4096, 65535}) {
      add("size/" + size + "/host", () -> QueryWire.of(WEB, Type.A).edns(size, 0, 0));
      add(
          "size/" + size + "/big",
          () -> QueryWire.of("big.default.minilb.", Type.A).edns(size, 0, 0));
      add(
          "size/" + size + "/big/do",
          () -> QueryWire.of("big.default.minilb.", Type.A).edns(size, 0, DO));
    }
    for (var t : List.of("A", "SOA", "DNSKEY", "RRSIG", "ANY", "NS")) {
      add("do/apex/" + t, () -> QueryWire.of("minilb.", Type.value(t)).edns(1232, 0, DO));
    }
    add("do/nx", () -> QueryWire.of("nx.default.minilb.", Type.A).edns(1232, 0, DO));
    add("do/ent", () -> QueryWire.of("default.minilb.", Type.A).edns(1232, 0, DO));
    add("do/srv", () -> QueryWire.of("_http._tcp.web.default.minilb.", Type.SRV).edns(1232, 0, DO));
    add("do/wild", () -> QueryWire.of("x.apps.example.com.", Type.A).edns(1232, 0, DO));
    add("do/outside", () -> QueryWire.of("example.com.", Type.A).edns(1232, 0, DO));
  }

  private void options() {
    byte[] client = bytes(1, 2, 3, 4, 5, 6, 7, 8);
    add("option/nsid", () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(NSID, new byte[0])));
    add(
        "option/nsid/nx",
        () ->
            QueryWire.of("nx.default.minilb.", Type.A).edns(1232, 0, 0, option(NSID, new byte[0])));
    add(
        "option/nsid/refused",
        () -> QueryWire.of("example.com.", Type.A).edns(1232, 0, 0, option(NSID, new byte[0])));
    add(
        "option/nsid/with-data",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(NSID, bytes(1, 2))));
    for (int len : new int[] {0, 1, 7, 8, 9, 15, 16, 24, 40, 41}) {
      byte[] data = new byte[len];
      for (int i = 0; i < len; i++) {
        data[i] = (byte) (i + 1);
      }
      add(
          "option/cookie/len-" + len,
          () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(COOKIE, data)));
    }
    add(
        "option/cookie/twice",
        () ->
            QueryWire.of(WEB, Type.A)
                .edns(1232, 0, 0, option(COOKIE, client), option(COOKIE, client)));
    add(
        "option/cookie/nx",
        () -> QueryWire.of("nx.default.minilb.", Type.A).edns(1232, 0, 0, option(COOKIE, client)));
    add(
        "option/cookie/refused",
        () -> QueryWire.of("example.com.", Type.A).edns(1232, 0, 0, option(COOKIE, client)));
    add(
        "option/cookie/no-question",
        () -> new QueryWire().edns(1232, 0, 0, option(COOKIE, client)));
    add(
        "option/cookie+nsid",
        () ->
            QueryWire.of(WEB, Type.A)
                .edns(1232, 0, 0, option(NSID, new byte[0]), option(COOKIE, client)));
    add(
        "option/unknown-65001",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(65001, bytes(9, 9, 9))));
    add(
        "option/unknown-65001/empty",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(65001, new byte[0])));
    add("option/code-0", () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(0, bytes(1))));
    add(
        "option/padding/empty",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(PADDING, new byte[0])));
    add(
        "option/padding/zeros",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(PADDING, new byte[16])));
    add(
        "option/padding/nonzero",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(PADDING, bytes(1, 2, 3))));
    add(
        "option/ecs/valid",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(8, bytes(0, 1, 24, 0, 10, 0, 0))));
    add(
        "option/ecs/malformed",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(8, bytes(0, 1, 40))));
    add(
        "option/keepalive",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(11, new byte[0])));
    add("option/expire", () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(9, new byte[0])));
    add(
        "option/ede-in-query",
        () -> QueryWire.of(WEB, Type.A).edns(1232, 0, 0, option(15, bytes(0, 0))));
    add(
        "option/length-past-rdata",
        () ->
            QueryWire.of(WEB, Type.A)
                .additional(opt(1232, 0, 0, cat(u16(65001), u16(10), bytes(1, 2)))));
    add(
        "option/header-cut",
        () -> QueryWire.of(WEB, Type.A).additional(opt(1232, 0, 0, bytes(0, 10, 0))));
    add(
        "option/rdlength-past-packet",
        () ->
            QueryWire.of(WEB, Type.A)
                .additional(
                    cat(
                        bytes(0),
                        u16(41),
                        u16(1232),
                        bytes(0, 0, 0, 0),
                        u16(20),
                        bytes(0, 3, 0, 0))));
    add(
        "option/nx/malformed",
        () ->
            QueryWire.of("nx.default.minilb.", Type.A)
                .additional(opt(1232, 0, 0, cat(u16(65001), u16(10), bytes(1, 2)))));
  }

  private void malformed() {
    byte[] anOpt = opt(1232, 0, 0, new byte[0]);
    byte[] glue = record("ns.minilb.", Type.A, 1, 5, bytes(192, 168, 1, 53));
    add("opt/two", () -> QueryWire.of(WEB, Type.A).additional(anOpt).additional(anOpt));
    add(
        "opt/two/nx",
        () -> QueryWire.of("nx.default.minilb.", Type.A).additional(anOpt).additional(anOpt));
    add("opt/not-last", () -> QueryWire.of(WEB, Type.A).additional(anOpt).additional(glue));
    add("opt/after-record", () -> QueryWire.of(WEB, Type.A).additional(glue).additional(anOpt));
    add(
        "opt/owner-not-root",
        () ->
            QueryWire.of(WEB, Type.A)
                .additional(cat(name("minilb."), Arrays.copyOfRange(anOpt, 1, anOpt.length))));
    add("opt/in-answer", () -> QueryWire.of(WEB, Type.A).answer(anOpt));
    add("opt/in-authority", () -> QueryWire.of(WEB, Type.A).authority(anOpt));
    add("count/qd-0", () -> new QueryWire());
    add("count/qd-0/edns", () -> new QueryWire().edns());
    add("count/qd-2", () -> QueryWire.of(WEB, Type.A).question(WEB, Type.AAAA, 1));
    add("count/qd-2/edns", () -> QueryWire.of(WEB, Type.A).question(WEB, Type.AAAA, 1).edns());
    add("count/qd-2-claimed", () -> QueryWire.of(WEB, Type.A).counts(2, null, null, null));
    add("count/an-1", () -> QueryWire.of(WEB, Type.A).answer(glue));
    add("count/ns-1", () -> QueryWire.of(WEB, Type.A).authority(glue));
    add("count/ar-1-missing", () -> QueryWire.of(WEB, Type.A).counts(null, null, null, 1));
    add("count/ar-glue", () -> QueryWire.of(WEB, Type.A).additional(glue));
    add("trailing/garbage", () -> QueryWire.of(WEB, Type.A).trailer(bytes(0xde, 0xad, 0xbe, 0xef)));
    add("trailing/garbage/edns", () -> QueryWire.of(WEB, Type.A).edns().trailer(bytes(0xde, 0xad)));
    add("trailing/zero-byte", () -> QueryWire.of(WEB, Type.A).trailer(bytes(0)));
    int full = QueryWire.of(WEB, Type.A).bytes().length;
    add("cut/11-bytes", () -> QueryWire.of(WEB, Type.A).cut(11));
    add("cut/header-only", () -> QueryWire.of(WEB, Type.A).cut(12));
    add("cut/mid-name", () -> QueryWire.of(WEB, Type.A).cut(18));
    add("cut/no-class", () -> QueryWire.of(WEB, Type.A).cut(full - 2));
    add("cut/mid-opt", () -> QueryWire.of(WEB, Type.A).edns().cut(full + 6));
    add(
        "compress/self-loop",
        () -> new QueryWire().rawQuestion(cat(bytes(0xC0, 12), u16(1), u16(1))));
    add(
        "compress/two-step-loop",
        () -> new QueryWire().rawQuestion(cat(bytes(1, 'a', 0xC0, 12), u16(1), u16(1))));
    add(
        "compress/forward",
        () -> new QueryWire().rawQuestion(cat(bytes(0xC0, 20, 0), u16(1), u16(1))));
    add(
        "compress/past-end",
        () -> new QueryWire().rawQuestion(cat(bytes(0xC0, 0xFF), u16(1), u16(1))));
    add(
        "compress/into-header",
        () -> new QueryWire().rawQuestion(cat(bytes(3, 'w', 'e', 'b', 0xC0, 4), u16(1), u16(1))));
    add(
        "label/64",
        () -> new QueryWire().rawQuestion(cat(bytes(64), new byte[64], bytes(0), u16(1), u16(1))));
    add(
        "label/extended-0x40",
        () -> new QueryWire().rawQuestion(cat(bytes(0x41, 1), bytes(0), u16(1), u16(1))));
    add("label/name-256", () -> new QueryWire().rawQuestion(cat(longLabels(), u16(1), u16(1))));
  }

  /** A name of 257 wire bytes: four 63-byte labels and one 4-byte label. */
  private static byte[] longLabels() {
    var parts = new ArrayList<byte[]>();
    for (int i = 0; i < 4; i++) {
      parts.add(bytes(63));
      parts.add("d".repeat(63).getBytes(StandardCharsets.US_ASCII));
    }
    parts.add(bytes(3, 'x', 'y', 'z', 0));
    return cat(parts.toArray(byte[][]::new));
  }

  private static String big() {
    var sb = new StringBuilder();
    for (int i = 1; i <= 60; i++) {
      sb.append("big.default.minilb. 5 IN A 10.244.3.").append(i).append('\n');
    }
    return sb.toString();
  }
}
