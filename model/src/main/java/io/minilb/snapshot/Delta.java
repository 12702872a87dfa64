package io.minilb.snapshot;

import java.util.List;

/**
 * The change from the snapshot at {@code base} to the snapshot at {@code version}: the zone list at
 * {@code version}, the RRsets added or changed, and the keys removed. Only ever derived by {@link
 * Snapshot#diff(Snapshot)}; applied only to a snapshot at exactly {@code base}. Immutable.
 */
public record Delta(
    Version base, Version version, List<String> zones, List<RRSet> upserts, List<RRKey> removals) {

  public Delta {
    zones = List.copyOf(zones);
    upserts = List.copyOf(upserts);
    removals = List.copyOf(removals);
  }

  public boolean isEmpty() {
    return upserts.isEmpty() && removals.isEmpty();
  }
}
