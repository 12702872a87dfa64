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

  public io.minilb.proto.v1.Delta toProto() {
    var b =
        io.minilb.proto.v1.Delta.newBuilder()
            .setBase(base.toProto())
            .setVersion(version.toProto())
            .addAllZones(zones);
    upserts.forEach(s -> b.addUpserts(s.toProto()));
    removals.forEach(k -> b.addRemovals(k.toProto()));
    return b.build();
  }

  public static Delta fromProto(io.minilb.proto.v1.Delta d) {
    return new Delta(
        Version.fromProto(d.getBase()),
        Version.fromProto(d.getVersion()),
        d.getZonesList(),
        d.getUpsertsList().stream().map(RRSet::fromProto).toList(),
        d.getRemovalsList().stream().map(RRKey::fromProto).toList());
  }
}
