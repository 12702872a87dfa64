package io.minilb.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random snapshots and edits of them, for property-style tests of diff, apply and encodings. */
public final class Generated {

  private static final int A = 1;
  private static final int AAAA = 28;

  private Generated() {}

  public static Snapshot snapshot(Random random, Version version) {
    var sets = new ArrayList<RRSet>();
    int names = random.nextInt(20);
    for (int n = 0; n < names; n++) {
      String owner = "svc" + n + ".ns" + random.nextInt(3) + ".minilb.";
      sets.add(randomSet(random, owner, A));
      if (random.nextBoolean()) {
        sets.add(randomSet(random, owner, AAAA));
      }
    }
    List<String> zones =
        random.nextBoolean() ? List.of("minilb.") : List.of("minilb.", "10.in-addr.arpa.");
    return new Snapshot(version, zones, dedupe(sets));
  }

  public static Snapshot mutate(Random random, Snapshot base, Version version) {
    var sets = new ArrayList<>(base.rrsets().values());
    int edits = random.nextInt(5);
    for (int e = 0; e < edits && !sets.isEmpty(); e++) {
      int idx = random.nextInt(sets.size());
      switch (random.nextInt(3)) {
        case 0 -> sets.remove(idx);
        case 1 -> sets.set(idx, randomSet(random, sets.get(idx).name(), sets.get(idx).type()));
        default -> sets.add(randomSet(random, "new" + random.nextInt(50) + ".minilb.", A));
      }
    }
    return new Snapshot(version, base.zones(), dedupe(sets));
  }

  private static List<RRSet> dedupe(List<RRSet> sets) {
    var seen = new java.util.LinkedHashMap<RRKey, RRSet>();
    sets.forEach(s -> seen.put(s.key(), s));
    return new ArrayList<>(seen.values());
  }

  private static RRSet randomSet(Random random, String owner, int type) {
    var rdata = new ArrayList<Rdata>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[type == A ? 4 : 16];
      random.nextBytes(b);
      rdata.add(Rdata.of(b));
    }
    return new RRSet(owner, type, 1 + random.nextInt(10), rdata);
  }

  public static Rdata ip(int a, int b, int c, int d) {
    return Rdata.of(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }
}
