package io.minilb.resolver.dns;

import io.minilb.resolver.store.ZoneIndex;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/** Test fixtures written as zone-file lines, so tables read like the answers an operator sees. */
public final class ZoneText {

  private ZoneText() {}

  /** A snapshot of the given zone-file lines; every SOA owner becomes a served zone. */
  public static Snapshot snapshot(String lines) {
    var sets = new LinkedHashMap<String, List<Record>>();
    var zones = new ArrayList<String>();
    for (Record r : records(lines)) {
      sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new ArrayList<>()).add(r);
      if (r.getType() == Type.SOA) {
        zones.add(r.getName().toString());
      }
    }
    var rrsets = new ArrayList<RRSet>();
    for (List<Record> rs : sets.values()) {
      Record first = rs.get(0);
      rrsets.add(
          new RRSet(
              first.getName().toString(),
              first.getType(),
              (int) first.getTTL(),
              rs.stream().map(r -> Rdata.of(r.rdataToWireCanonical())).toList()));
    }
    return new Snapshot(new Version(1, 1), zones, rrsets);
  }

  public static ZoneIndex index(String lines) {
    return ZoneIndex.of(snapshot(lines));
  }

  /** Parses zone-file lines (absolute names, explicit TTL and class). */
  static List<Record> records(String lines) {
    var out = new ArrayList<Record>();
    for (String line : lines.strip().split("\n")) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        var t = new Tokenizer(line);
        Name owner = Name.fromString(t.getString());
        long ttl = t.getTTL();
        int dclass = org.xbill.DNS.DClass.value(t.getString());
        int type = Type.value(t.getString());
        out.add(Record.fromString(owner, type, dclass, ttl, t, Name.root));
      } catch (IOException e) {
        throw new IllegalArgumentException("bad zone line: " + line, e);
      }
    }
    return out;
  }

  /** One section of {@code m} as zone-file lines, in order, OPT excluded. */
  static List<String> section(Message m, int section) {
    return m.getSection(section).stream()
        .filter(r -> r.getType() != Type.OPT)
        .map(Record::toString)
        .map(s -> s.replaceAll("\\s+", " "))
        .toList();
  }

  /** Normalises expected zone-file lines the same way {@link #section} renders them. */
  static List<String> lines(String text) {
    return records(text).stream()
        .map(Record::toString)
        .map(s -> s.replaceAll("\\s+", " "))
        .toList();
  }

  static Map<Integer, List<String>> sections(Message m) {
    return Map.of(
        Section.ANSWER, section(m, Section.ANSWER),
        Section.AUTHORITY, section(m, Section.AUTHORITY),
        Section.ADDITIONAL, section(m, Section.ADDITIONAL));
  }
}
