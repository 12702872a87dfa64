package io.minilb.snapshot;

import java.util.List;

/**
 * All records of one owner name and type, with one TTL. Rdata is uncompressed DNS wire format, kept
 * in a deterministic order so that equal record sets compare equal. Immutable.
 */
public record RRSet(String name, int type, int ttl, List<Rdata> rdata) {

  public RRSet {
    name = RRKey.Names.canonical(name);
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL for " + name);
    }
    rdata = List.copyOf(rdata);
    if (rdata.isEmpty()) {
      throw new IllegalArgumentException("empty RRset " + name + "/" + type);
    }
  }

  public RRKey key() {
    return new RRKey(name, type);
  }
}
