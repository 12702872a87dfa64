package io.minilb.snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The complete record set at one {@link Version}: the zone apexes served and every RRset. Immutable
 * and safe to share between threads.
 *
 * <p>Full and incremental updates share this one model: deltas are derived, never authored. For any
 * two snapshots {@code older.apply(newer.diff(older)).equals(newer)} holds.
 */
public final class Snapshot {

  /**
   * The most names a resolver holds, counting every owner and every empty non-terminal above one
   * once: it rejects a snapshot or delta that would make more, and the controller's {@code
   * --max-names} stays at or below it.
   */
  public static final int MAX_NAMES = 1 << 19;

  private final Version version;
  private final List<String> zones;
  private final Map<RRKey, RRSet> rrsets;

  public Snapshot(Version version, Iterable<String> zones, Iterable<RRSet> rrsets) {
    this.version = Objects.requireNonNull(version, "version");
    var sorted = new TreeSet<String>();
    zones.forEach(z -> sorted.add(RRKey.Names.canonical(z)));
    this.zones = List.copyOf(sorted);
    var map = new HashMap<RRKey, RRSet>();
    for (RRSet s : rrsets) {
      if (map.put(s.key(), s) != null) {
        throw new IllegalArgumentException("duplicate RRset " + s.key());
      }
    }
    this.rrsets = Map.copyOf(map);
  }

  public Version version() {
    return version;
  }

  /** Zone apexes, sorted, lower case, absolute. */
  public List<String> zones() {
    return zones;
  }

  public Map<RRKey, RRSet> rrsets() {
    return rrsets;
  }

  /**
   * Whether this snapshot carries the same zones and records as {@code other}, whatever the
   * versions.
   */
  public boolean sameContent(Snapshot other) {
    return zones.equals(other.zones) && rrsets.equals(other.rrsets);
  }

  /** The delta that turns {@code older} into this snapshot. */
  public Delta diff(Snapshot older) {
    var upserts = new ArrayList<RRSet>();
    for (RRSet s : rrsets.values()) {
      if (!s.equals(older.rrsets.get(s.key()))) {
        upserts.add(s);
      }
    }
    var removals = new ArrayList<RRKey>();
    for (RRKey k : older.rrsets.keySet()) {
      if (!rrsets.containsKey(k)) {
        removals.add(k);
      }
    }
    return new Delta(older.version, version, zones, upserts, removals);
  }

  /**
   * Applies {@code delta} to this snapshot.
   *
   * @throws IllegalArgumentException if the delta's base is not this snapshot's version
   */
  public Snapshot apply(Delta delta) {
    if (!delta.base().equals(version)) {
      throw new IllegalArgumentException(
          "delta base " + delta.base() + " does not match held version " + version);
    }
    var map = new HashMap<>(rrsets);
    delta.removals().forEach(map::remove);
    delta.upserts().forEach(s -> map.put(s.key(), s));
    return new Snapshot(delta.version(), delta.zones(), map.values());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot s && version.equals(s.version) && sameContent(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, zones, rrsets);
  }

  @Override
  public String toString() {
    return "Snapshot{" + version + ", zones=" + zones + ", rrsets=" + rrsets.size() + "}";
  }
}
