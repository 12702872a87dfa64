package io.minilb.resolver.xfr;

import io.minilb.resolver.store.Store;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * What a secondary can ask for: the zones as they are now and each zone's {@link Journal} of recent
 * changes, fed by the store's updates. A change costs in proportion to its delta; only a snapshot
 * replaced whole (a resync) is diffed against the one before.
 *
 * <p>The SOA serial is the controller's, the same in every zone and on every resolver of one
 * controller epoch. A journal holds only steps whose serial moved forward (RFC 1982); when it does
 * not (a new controller epoch that started below the old serial) or the set of zones changes, the
 * journals start again and IXFR falls back to the whole zone.
 *
 * <p>Thread-safe: one writer (the store's updating thread); readers take the immutable {@link
 * State} of one moment.
 */
final class ZoneHistory implements Store.Change {

  static final int MAX_STEPS = 100;
  static final int MAX_RECORDS = 20_000;

  /** The zones now and their journals, consistent with each other. Immutable. */
  record State(ZoneView view, Map<Name, Journal> journals) {
    State {
      journals = Map.copyOf(journals);
    }

    Journal journal(Name apex) {
      return journals.getOrDefault(apex, Journal.EMPTY);
    }
  }

  private final BiConsumer<Name, SOARecord> serialChanged;
  private volatile State state;

  /**
   * @param serialChanged told the apex and new SOA of each zone whose serial changed (or that
   *     appeared), on the updating thread
   */
  ZoneHistory(BiConsumer<Name, SOARecord> serialChanged) {
    this.serialChanged = serialChanged;
  }

  /** The current state, or null before the first snapshot. */
  State state() {
    return state;
  }

  @Override
  public void changed(Snapshot before, Delta delta, Snapshot after) {
    State prev = state;
    ZoneView next = new ZoneView(after);
    Map<Name, Journal> journals = new HashMap<>();
    boolean continues =
        prev != null
            && before != null
            && prev.view().snapshot() == before
            && prev.view().apexes().equals(next.apexes());
    if (continues) {
      var changes = changes(prev.view(), delta != null ? delta : after.diff(before), next);
      for (Name apex : next.apexes()) {
        SOARecord from = prev.view().soa(apex);
        SOARecord to = next.soa(apex);
        Journal j = prev.journal(apex);
        var change = changes.get(apex);
        if (from == null || to == null) {
          j = Journal.EMPTY;
        } else if (from.getSerial() == to.getSerial()) {
          j = change == null ? j : Journal.EMPTY; // changed data under an unchanged serial
        } else if (!newer(to.getSerial(), from.getSerial())) {
          j = Journal.EMPTY;
        } else {
          var step =
              new Journal.Step(
                  from,
                  to,
                  change == null ? List.of() : change.deleted,
                  change == null ? List.of() : change.added);
          j = j.append(step, MAX_STEPS, MAX_RECORDS);
        }
        journals.put(apex, j);
      }
    }
    state = new State(next, journals);
    for (Name apex : next.apexes()) {
      SOARecord to = next.soa(apex);
      SOARecord from = prev == null ? null : prev.view().soa(apex);
      if (to != null && (from == null || from.getSerial() != to.getSerial())) {
        serialChanged.accept(apex, to);
      }
    }
  }

  /** Whether serial {@code a} is after {@code b} in RFC 1982 arithmetic (32 bits). */
  static boolean newer(long a, long b) {
    long d = (a - b) & 0xFFFF_FFFFL;
    return d != 0 && d < 0x8000_0000L;
  }

  private static final class Change {
    final List<Record> deleted = new ArrayList<>();
    final List<Record> added = new ArrayList<>();
  }

  /** The records each zone lost and gained in {@code delta}, SOAs left out. */
  private static Map<Name, Change> changes(ZoneView before, Delta delta, ZoneView after) {
    var out = new HashMap<Name, Change>();
    var keys = new ArrayList<RRKey>(delta.removals());
    delta.upserts().forEach(s -> keys.add(s.key()));
    for (RRKey key : new HashSet<>(keys)) {
      if (key.type() == Type.SOA) {
        continue;
      }
      Name zone = after.zoneOf(ZoneView.name(key.name()));
      if (zone == null) {
        continue;
      }
      List<Record> old = records(before.snapshot().rrsets().get(key));
      List<Record> now = records(after.snapshot().rrsets().get(key));
      Change c = out.computeIfAbsent(zone, z -> new Change());
      boolean sameTtl =
          !old.isEmpty() && !now.isEmpty() && old.get(0).getTTL() == now.get(0).getTTL();
      // dnsjava's Record.equals ignores the TTL: a TTL change replaces the whole RRset.
      for (Record r : old) {
        if (!sameTtl || !now.contains(r)) {
          c.deleted.add(r);
        }
      }
      for (Record r : now) {
        if (!sameTtl || !old.contains(r)) {
          c.added.add(r);
        }
      }
    }
    out.values().removeIf(c -> c.deleted.isEmpty() && c.added.isEmpty());
    return out;
  }

  private static List<Record> records(RRSet set) {
    return set == null ? List.of() : ZoneView.records(set);
  }
}
