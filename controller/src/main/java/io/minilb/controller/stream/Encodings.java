package io.minilb.controller.stream;

import io.minilb.proto.Messages;
import io.minilb.proto.v1.WatchResponse;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The wire form of the newest snapshot, and of the deltas to it from the few versions resolvers
 * hold, each encoded once and shared by every stream. After a failover a hundred resolvers all ask
 * for the same full snapshot; after a change they all ask for the same delta.
 *
 * <p>Thread-safe. Encoding happens under the lock, so streams asking at once wait for the one
 * encoding instead of each making their own. Only the newest version is kept.
 */
final class Encodings {

  /** Distinct bases remembered for deltas to the newest version. */
  static final int DELTAS = 8;

  private final AtomicLong fullEncodings = new AtomicLong();
  private final BiFunction<Snapshot, Snapshot, Delta> differ;
  private Snapshot of;
  private EncodedResponse full;
  private final Map<Version, EncodedResponse> deltas =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Version, EncodedResponse> eldest) {
          return size() > DELTAS;
        }
      };

  /** Deltas by {@link Snapshot#diff}. */
  Encodings() {
    this((base, latest) -> latest.diff(base));
  }

  /**
   * @param differ the delta from a base to the latest snapshot (the publisher keeps the one from
   *     the version before, so the common case is not a diff of two whole snapshots)
   */
  Encodings(BiFunction<Snapshot, Snapshot, Delta> differ) {
    this.differ = differ;
  }

  /** {@code latest} as a full snapshot message. */
  synchronized EncodedResponse full(Snapshot latest) {
    if (!moveTo(latest)) {
      return encodeFull(latest);
    }
    if (full == null) {
      full = encodeFull(latest);
    }
    return full;
  }

  /**
   * The delta turning {@code base} into {@code latest}; the full snapshot instead when that delta
   * is over {@link Messages#MAX_DELTA_BYTES}, which resolvers refuse.
   */
  synchronized EncodedResponse delta(Snapshot base, Snapshot latest) {
    if (!moveTo(latest)) {
      EncodedResponse d = encodeDelta(base, latest);
      return d.size() > Messages.MAX_DELTA_BYTES ? encodeFull(latest) : d;
    }
    EncodedResponse d = deltas.computeIfAbsent(base.version(), v -> encodeDelta(base, latest));
    if (d.size() > Messages.MAX_DELTA_BYTES) {
      d = full(latest);
      deltas.put(base.version(), d); // the oversized delta is not kept
    }
    return d;
  }

  /** How many times a full snapshot was encoded since start. */
  long fullEncodings() {
    return fullEncodings.get();
  }

  /** Makes {@code latest} the cached version; false when it is older than the cached one. */
  private boolean moveTo(Snapshot latest) {
    Version v = latest.version();
    if (of != null && of.version().equals(v)) {
      return true;
    }
    if (of != null && of.version().epoch() == v.epoch() && of.version().sequence() > v.sequence()) {
      return false; // a stream that read the publisher just before a newer publish
    }
    of = latest;
    full = null;
    deltas.clear();
    return true;
  }

  private EncodedResponse encodeFull(Snapshot s) {
    fullEncodings.incrementAndGet();
    return EncodedResponse.of(WatchResponse.newBuilder().setSnapshot(Messages.toProto(s)).build());
  }

  private EncodedResponse encodeDelta(Snapshot base, Snapshot latest) {
    return EncodedResponse.of(
        WatchResponse.newBuilder().setDelta(Messages.toProto(differ.apply(base, latest))).build());
  }
}
