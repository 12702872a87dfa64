package io.minilb.controller.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * The delta the publisher keeps from each publish against the one {@link Snapshot#diff} derives:
 * seeded random record lists (sorted as the builder gives them, sharing unchanged RRsets, with
 * zones coming and going, and now and then in another order) published one after another.
 */
class PublishedDeltaTest {

  private static final String[] ZONES = {"minilb.", "example.", "10.in-addr.arpa."};

  @Test
  void keptDelta_afterEveryRandomPublish_isTheDiffOfTheTwoSnapshots() {
    for (long seed = 1; seed <= 20; seed++) {
      var random = new Random(seed);
      var soa = new RecordBuilder(ZoneConfig.defaults());
      long[] clock = {1_000};
      var publisher = new SnapshotPublisher(seed, soa::soa, () -> clock[0]);
      var records = new TreeMap<String, RRSet>();
      Snapshot before = null;
      boolean previousUnsorted = false;
      for (int step = 0; step < 200; step++) {
        for (int k = random.nextInt(4); k >= 0; k--) {
          String name = "n" + random.nextInt(30) + "." + ZONES[random.nextInt(2)];
          if (random.nextInt(3) == 0) {
            records.remove(name);
          } else {
            records.put(name, a(name, random.nextInt(3)));
          }
        }
        var zones = new TreeSet<String>(List.of(ZONES[0], ZONES[1]));
        if (random.nextBoolean()) {
          zones.add(ZONES[2]);
        }
        var list = new ArrayList<>(records.values());
        boolean sorted = random.nextInt(10) != 0;
        if (!sorted) {
          java.util.Collections.reverse(list);
        }
        clock[0] += random.nextInt(2);
        if (!publisher.publish(List.copyOf(zones), list)) {
          continue;
        }
        Snapshot now = publisher.current();
        if (before != null) {
          Delta kept = publisher.diff(before, now);
          Delta derived = now.diff(before);
          String at = "seed " + seed + ", step " + step;
          assertThat(before.apply(kept)).as(at).isEqualTo(now);
          assertThat(new HashSet<>(kept.upserts()))
              .as(at)
              .isEqualTo(new HashSet<>(derived.upserts()));
          assertThat(new HashSet<>(kept.removals()))
              .as(at)
              .isEqualTo(new HashSet<>(derived.removals()));
          assertThat(kept.zones()).as(at).isEqualTo(derived.zones());
          if (sorted && !previousUnsorted) {
            // kept at publish, not derived again on every call
            assertThat(publisher.diff(before, now)).as(at).isSameAs(kept);
          }
        }
        before = now;
        previousUnsorted = !sorted;
      }
    }
  }

  private static RRSet a(String name, int last) {
    return new RRSet(name, Type.A, 5, List.of(Rdata.of(new byte[] {10, 0, 0, (byte) last})));
  }
}
