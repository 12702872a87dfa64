package io.minilb.controller.snapshot;

import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * What changed between two record lists sorted by {@link RRKey}, found in one merge walk. The
 * record builder reuses an unchanged Service's RRsets, so most pairs are the same object and cost
 * one comparison of references; the walk is linear in the records but does no hashing and allocates
 * only for what changed. Immutable.
 */
record Changes(List<RRSet> upserts, List<RRKey> removals) {

  boolean isEmpty() {
    return upserts.isEmpty() && removals.isEmpty();
  }

  /**
   * The changes from {@code older} to {@code newer}, both sorted, adding to {@code out} each RRset
   * of {@code newer} (the one of {@code older} when equal, to share it); null, with {@code out} in
   * an unspecified state, when {@code newer} is not strictly sorted.
   */
  static Changes walk(List<RRSet> older, List<RRSet> newer, List<RRSet> out) {
    var upserts = new ArrayList<RRSet>();
    var removals = new ArrayList<RRKey>();
    int j = 0;
    RRSet previous = null;
    for (RRSet a : newer) {
      if (previous != null && compare(previous, a) >= 0) {
        return null;
      }
      previous = a;
      while (j < older.size() && older.get(j) != a && compare(older.get(j), a) < 0) {
        removals.add(older.get(j++).key());
      }
      RRSet b = j < older.size() ? older.get(j) : null;
      if (b == a) {
        out.add(a);
        j++;
      } else if (b != null && compare(b, a) == 0) {
        j++;
        if (a.equals(b)) {
          out.add(b);
        } else {
          out.add(a);
          upserts.add(a);
        }
      } else {
        out.add(a);
        upserts.add(a);
      }
    }
    while (j < older.size()) {
      removals.add(older.get(j++).key());
    }
    return new Changes(upserts, removals);
  }

  /** Whether {@code sets} is strictly sorted by key. */
  static boolean sorted(List<RRSet> sets) {
    for (int i = 1; i < sets.size(); i++) {
      if (compare(sets.get(i - 1), sets.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The delta from {@code base} to {@code next}, which holds these changes and {@code soas}: only
   * the SOAs that differ from {@code base}'s, and the SOAs of zones no longer served, go in.
   */
  Delta delta(Snapshot base, Snapshot next, List<RRSet> soas) {
    var up = new ArrayList<>(upserts);
    for (RRSet soa : soas) {
      if (!soa.equals(base.rrsets().get(soa.key()))) {
        up.add(soa);
      }
    }
    var gone = new ArrayList<>(removals);
    for (String zone : base.zones()) {
      if (!next.zones().contains(zone)) {
        gone.add(new RRKey(zone, Type.SOA));
      }
    }
    return new Delta(base.version(), next.version(), next.zones(), up, gone);
  }

  private static int compare(RRSet a, RRSet b) {
    int c = a.name().compareTo(b.name());
    return c != 0 ? c : Integer.compare(a.type(), b.type());
  }
}
