package io.minilb.resolver.xfr;

import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One {@link Snapshot} seen zone by zone, as a secondary transfers it: the apexes, each zone's SOA,
 * and every record of a zone. Each owner belongs to the most specific apex above it, as in the
 * answer path. Immutable; a zone's records are read from the snapshot on demand (transfers are
 * rare), so holding a view costs nothing beyond the snapshot.
 */
final class ZoneView {

  private final Snapshot snapshot;
  private final List<Name> apexes;

  ZoneView(Snapshot snapshot) {
    this.snapshot = snapshot;
    var list = new ArrayList<Name>();
    for (String z : snapshot.zones()) {
      list.add(name(z));
    }
    list.sort(Comparator.comparingInt(Name::labels).reversed().thenComparing(Name::compareTo));
    this.apexes = List.copyOf(list);
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /** The zone apexes, most specific first. */
  List<Name> apexes() {
    return apexes;
  }

  /** The apex of the most specific zone holding {@code owner}, or null. */
  Name zoneOf(Name owner) {
    for (Name apex : apexes) {
      if (owner.subdomain(apex)) {
        return apex;
      }
    }
    return null;
  }

  /** The SOA of the zone at {@code apex}, or null when it is not a zone of this snapshot. */
  SOARecord soa(Name apex) {
    if (!apexes.contains(apex)) {
      return null;
    }
    RRSet set = snapshot.rrsets().get(new RRKey(apex.toString(), Type.SOA));
    List<Record> soa = set == null ? List.of() : records(set);
    return !soa.isEmpty() && soa.get(0) instanceof SOARecord r ? r : null;
  }

  /**
   * Every record of the zone at {@code apex} except its SOA, in canonical order of owner and type:
   * all of them, never the rotated or capped list that queries get.
   */
  List<Record> records(Name apex) {
    var sets = new ArrayList<RRSet>();
    for (RRSet set : snapshot.rrsets().values()) {
      Name owner = name(set.name());
      boolean ownSoa = set.type() == Type.SOA && owner.equals(apex);
      if (!ownSoa && apex.equals(zoneOf(owner))) {
        sets.add(set);
      }
    }
    sets.sort(Comparator.comparing((RRSet s) -> name(s.name())).thenComparingInt(RRSet::type));
    var out = new ArrayList<Record>();
    for (RRSet set : sets) {
      out.addAll(records(set));
    }
    return out;
  }

  /** The records of one RRset as dnsjava objects. */
  static List<Record> records(RRSet set) {
    Name owner = name(set.name());
    var out = new ArrayList<Record>(set.rdata().size());
    for (var rdata : set.rdata()) {
      Record r = Record.newRecord(owner, set.type(), DClass.IN, set.ttl(), rdata.toByteArray());
      if (r != null) { // null: rdata dnsjava cannot parse, which the index has already refused
        out.add(r);
      }
    }
    return out;
  }

  static Name name(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad name " + s, e);
    }
  }
}
