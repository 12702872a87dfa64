package io.minilb.controller.records;

import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.net.Cidr;
import io.minilb.snapshot.RRSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Each served Service's share of the last build, reused while everything it was built from is
 * unchanged: the Service, its EndpointSlices (in the order the build saw them) and the reverse
 * zones. The zone and the limits are fixed for the {@link RecordBuilder} that owns this. A change
 * anywhere else (an Ingress, a route, another Service) costs the Service nothing; a change of the
 * nodes' pod CIDRs rebuilds every Service, since any endpoint may move in or out of a reverse zone.
 *
 * <p>Entries not asked for in a build are forgotten at its end, so a deleted Service's records do
 * not linger. Not thread-safe: one build at a time.
 */
final class ServiceParts {

  /** What one Service's part is a function of. Compared by value; views are immutable. */
  record Input(ServiceView service, List<SliceView> slices, Map<String, Cidr> reverse) {}

  /**
   * One Service's part, as a full build computes it.
   *
   * @param target the Service as served, or null when it was dropped before its records were built
   * @param records its own RRsets (sorted; null with {@code target}), before any extra host names
   * @param size resource records in {@code records}
   * @param names names {@code records} make, owners and ancestors each once ({@link NameCount})
   * @param bytes bytes {@code records} take in a snapshot's encoding ({@link WireSize})
   * @param findings what it reported, in order
   * @param dropped the findings that left it out
   */
  record Result(
      ServiceTarget target,
      List<RRSet> records,
      int size,
      int names,
      long bytes,
      List<Finding> findings,
      List<Finding> dropped) {
    Result {
      records = records == null ? null : List.copyOf(records);
      findings = List.copyOf(findings);
      dropped = List.copyOf(dropped);
    }
  }

  private record Entry(Input input, Result result) {}

  private final BiPredicate<Input, Input> same;

  private Map<ObjectKey, Entry> entries = new HashMap<>();
  private Map<ObjectKey, Entry> used = new HashMap<>();
  private Map<String, Cidr> reverse = Map.of();
  private long reused;
  private long built;

  ServiceParts() {
    this(Input::equals);
  }

  /** With {@code same} deciding when a part is reused; a test substitutes a wrong one. */
  ServiceParts(BiPredicate<Input, Input> same) {
    this.same = same;
  }

  /**
   * The reverse zones of this build: the last build's map when equal, so that inputs compare by
   * identity instead of zone by zone for every Service.
   */
  Map<String, Cidr> reverse(Map<String, Cidr> now) {
    if (!now.equals(reverse)) {
      reverse = now;
    }
    return reverse;
  }

  /** The part of {@code key} for {@code input}, computed only when the input differs from last. */
  Result get(ObjectKey key, Input input, Function<Input, Result> build) {
    Entry e = entries.get(key);
    if (e == null || !same.test(e.input(), input)) {
      e = new Entry(input, build.apply(input));
      built++;
    } else {
      reused++;
    }
    used.put(key, e);
    return e.result();
  }

  /** Ends a build: what it did not ask for is dropped. */
  void sweep() {
    entries = used;
    used = new HashMap<>(entries.size() * 2);
  }

  /** Parts reused from an earlier build, since start. */
  long reused() {
    return reused;
  }

  /** Parts computed, since start. */
  long built() {
    return built;
  }
}
