package io.minilb.controller.records;

import io.minilb.controller.view.ObjectKey;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object's records, admitted or left out as a whole: a Service's own RRsets (shared with the
 * build before when it did not change) and the extra host names it won, which never share an owner
 * with them (see {@link NameRules}). Most objects win no host, so what holds those is made only
 * when needed.
 */
final class Part {
  final String kind;
  final ObjectKey key;
  final Instant created;
  final List<RRSet> own;
  final int ownSize;
  private int names;
  private long bytes;
  private Records extra;
  private Set<String> zones;

  Part(
      String kind,
      ObjectKey key,
      Instant created,
      List<RRSet> own,
      int ownSize,
      int ownNames,
      long ownBytes) {
    this.kind = kind;
    this.key = key;
    this.created = created;
    this.own = own;
    this.ownSize = ownSize;
    this.names = ownNames;
    this.bytes = ownBytes;
  }

  int size() {
    return ownSize + (extra == null ? 0 : extra.size());
  }

  /**
   * The most names this part can add to a resolver's index: its own names counted exactly, each
   * extra host with all its ancestors.
   */
  int names() {
    return names;
  }

  /**
   * The most bytes this part's RRsets add to a snapshot's encoding ({@link WireSize}), not counting
   * its zones: its own counted exactly, each extra host on its own. Parts that share an RRset (two
   * Services' PTRs for one pod) share its owner and type in the snapshot, so their sum is at most a
   * few bytes over.
   */
  long bytes() {
    return bytes;
  }

  Set<String> zones() {
    return zones == null ? Set.of() : zones;
  }

  /** Adds {@code records}, which make at most {@code names} names and {@code bytes} bytes. */
  void add(Records records, int names, long bytes) {
    this.names += names;
    this.bytes += bytes;
    if (extra == null) {
      extra = new Records();
    }
    extra.addAll(records);
  }

  void addZone(String apex) {
    if (zones == null) {
      zones = new TreeSet<>();
    }
    zones.add(apex);
  }

  List<RRSet> extra() {
    return extra == null ? List.of() : extra.toList();
  }

  /** Adds {@code sets} to {@code out}, joining RRsets of one owner and type as {@link Records}. */
  static void merge(Map<RRKey, RRSet> out, List<RRSet> sets) {
    for (RRSet s : sets) {
      out.merge(s.key(), s, Part::join);
    }
  }

  /** Both RRsets' rdata, deduplicated and sorted, at the smaller TTL. */
  private static RRSet join(RRSet a, RRSet b) {
    var rdata = new TreeSet<Rdata>(a.rdata());
    rdata.addAll(b.rdata());
    return new RRSet(a.name(), a.type(), Math.min(a.ttl(), b.ttl()), List.copyOf(rdata));
  }
}
