package io.minilb.resolver.it;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A response reduced to what two correct servers must agree on, field by field: header bits, full
 * rcode (with the EDNS extension), question, each section as a set of presentation lines (TTL
 * included, order ignored), and EDNS (version, size, DO, option codes). NSID content, cookie server
 * values and padding length are left out; no response at all is the single field {@code
 * response=none}.
 */
final class Normalized {

  /** The fields in report order. */
  static final List<String> FIELDS =
      List.of(
          "response",
          "id",
          "opcode",
          "rcode",
          "qr",
          "aa",
          "tc",
          "rd",
          "ra",
          "z",
          "ad",
          "cd",
          "question",
          "answer",
          "authority",
          "additional",
          "edns",
          "do",
          "options");

  private Normalized() {}

  /** The fields of {@code response} to {@code query}; null response: no answer. */
  static Map<String, String> of(byte[] query, byte[] response) {
    var f = new LinkedHashMap<String, String>();
    if (response == null) {
      f.put("response", "none");
      return f;
    }
    Message m;
    try {
      m = new Message(response);
    } catch (Exception e) {
      f.put("response", "unparseable " + HexFormat.of().formatHex(response));
      return f;
    }
    f.put("response", "message");
    int flags = ((response[2] & 0xFF) << 8) | (response[3] & 0xFF);
    boolean sameId = query.length >= 2 && response[0] == query[0] && response[1] == query[1];
    f.put("id", sameId ? "copied" : "changed");
    f.put("opcode", Integer.toString((flags >> 11) & 0xF));
    f.put("rcode", Rcode.string(m.getRcode()));
    bit(f, "qr", flags, QueryWire.QR);
    bit(f, "aa", flags, QueryWire.AA);
    bit(f, "tc", flags, QueryWire.TC);
    bit(f, "rd", flags, QueryWire.RD);
    bit(f, "ra", flags, QueryWire.RA);
    bit(f, "z", flags, QueryWire.Z);
    bit(f, "ad", flags, QueryWire.AD);
    bit(f, "cd", flags, QueryWire.CD);
    f.put("question", lines(m.getSection(Section.QUESTION)));
    f.put("answer", lines(m.getSection(Section.ANSWER)));
    f.put("authority", lines(m.getSection(Section.AUTHORITY)));
    f.put(
        "additional",
        lines(m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT)));
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      f.put("edns", "none");
      return f;
    }
    long opts =
        m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.OPT).count();
    f.put(
        "edns",
        "v" + opt.getVersion() + " size " + opt.getPayloadSize() + (opts > 1 ? " x" + opts : ""));
    f.put("do", (opt.getFlags() & QueryWire.DO) != 0 ? "1" : "0");
    var options = new TreeSet<String>();
    for (EDNSOption o : opt.getOptions()) {
      options.add(option(o));
    }
    f.put("options", String.join(" ", options));
    return f;
  }

  private static String option(EDNSOption o) {
    byte[] data = o.toWire();
    data = Arrays.copyOfRange(data, 4, data.length);
    return switch (o.getCode()) {
      case EDNSOption.Code.NSID -> "nsid";
      case EDNSOption.Code.COOKIE ->
          "cookie "
              + HexFormat.of().formatHex(data, 0, Math.min(8, data.length))
              + (data.length > 8 ? "+server" : "");
      case EDNSOption.Code.PADDING -> "padding";
      case EDNSOption.Code.EDNS_EXTENDED_ERROR ->
          "ede " + (data.length >= 2 ? ((data[0] & 0xFF) << 8 | (data[1] & 0xFF)) : -1);
      default ->
          "option " + o.getCode() + (data.length > 0 ? " " + HexFormat.of().formatHex(data) : "");
    };
  }

  private static void bit(Map<String, String> f, String name, int flags, int mask) {
    f.put(name, (flags & mask) != 0 ? "1" : "0");
  }

  private static String lines(List<Record> records) {
    return lines(records.stream());
  }

  private static String lines(Stream<Record> records) {
    var sorted = new TreeSet<String>();
    records.forEach(r -> sorted.add(r.toString().replaceAll("\\s+", " ")));
    return String.join(" | ", sorted);
  }
}
