package io.minilb.controller.records;

import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects records by owner and type into RRsets: rdata deduplicated and sorted, the smallest TTL
 * contributed winning. Output order is deterministic. Not thread-safe; one per build.
 */
final class Records {

  private static final class Pending {
    int ttl;
    final TreeSet<Rdata> rdata = new TreeSet<>();

    Pending(int ttl) {
      this.ttl = ttl;
    }
  }

  private final Map<RRKey, Pending> sets = new TreeMap<>();
  private int size;

  /** Longest owner in presentation form: 255 octets on the wire, one more than the text. */
  private static final int MAX_NAME = 254;

  /**
   * @throws IllegalArgumentException when {@code owner} is longer than a DNS name can be
   */
  void add(String owner, int type, int ttl, Rdata rdata) {
    if (owner.length() > MAX_NAME) {
      throw new IllegalArgumentException("name longer than 255 octets: " + owner);
    }
    Pending p = sets.computeIfAbsent(new RRKey(owner, type), k -> new Pending(ttl));
    p.ttl = Math.min(p.ttl, ttl);
    if (p.rdata.add(rdata)) {
      size++;
    }
  }

  /** Adds everything {@code other} collected. */
  void addAll(Records other) {
    other.sets.forEach((k, p) -> p.rdata.forEach(r -> add(k.name(), k.type(), p.ttl, r)));
  }

  /** Resource records collected so far, every RRset counting its rdata. */
  int size() {
    return size;
  }

  List<RRSet> toList() {
    var out = new ArrayList<RRSet>(sets.size());
    sets.forEach((k, p) -> out.add(new RRSet(k.name(), k.type(), p.ttl, List.copyOf(p.rdata))));
    return out;
  }
}
