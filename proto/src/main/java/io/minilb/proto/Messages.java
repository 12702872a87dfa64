package io.minilb.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.minilb.snapshot.Delta;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversion between the value model ({@code io.minilb.snapshot}) and the {@code minilb.v1}
 * messages. Decoding validates through the model's constructors, so a message that decodes is a
 * valid value; anything else throws {@link IllegalArgumentException}.
 */
public final class Messages {

  /**
   * The largest delta response, in bytes on the wire, a controller sends and a resolver reads. A
   * resolver parses a delta into objects (a snapshot it indexes straight from its bytes), and
   * protobuf's objects, then the model's, take up to some 45 times a message's size when its fields
   * are tiny (upserts of one empty or one-byte rdata; more with unknown fields, which a resolver
   * therefore refuses): 11 MiB at this size, which a resolver holding the most names still has room
   * for. A change larger than this goes out as a full snapshot instead, which costs the resolver
   * about the same time and no more memory than any full sync. 256 KiB hold some 4,000 changed
   * RRsets; a one-endpoint change is a few KiB.
   */
  public static final int MAX_DELTA_BYTES = 256 << 10;

  /**
   * The largest response, in bytes on the wire, a resolver reads: a full snapshot up to this size
   * is taken, anything larger ends the stream. While it arrives a message sits in Netty's direct
   * buffers at up to twice its size, so the resolver runs with {@code -XX:MaxDirectMemorySize=64m};
   * with the images' shared 32m a message over about 14 MiB could never be read, and a resolver
   * would reconnect for the same snapshot for ever. The controller keeps its snapshots under this.
   */
  public static final int MAX_RESPONSE_BYTES = 32 << 20;

  private Messages() {}

  public static io.minilb.proto.v1.Version toProto(Version v) {
    return io.minilb.proto.v1.Version.newBuilder()
        .setEpoch(v.epoch())
        .setSequence(v.sequence())
        .build();
  }

  public static Version fromProto(io.minilb.proto.v1.Version v) {
    return new Version(v.getEpoch(), v.getSequence());
  }

  public static io.minilb.proto.v1.RRKey toProto(RRKey k) {
    return io.minilb.proto.v1.RRKey.newBuilder().setName(k.name()).setType(k.type()).build();
  }

  public static RRKey fromProto(io.minilb.proto.v1.RRKey k) {
    return new RRKey(k.getName(), k.getType());
  }

  public static io.minilb.proto.v1.RRSet toProto(RRSet s) {
    var b =
        io.minilb.proto.v1.RRSet.newBuilder().setName(s.name()).setType(s.type()).setTtl(s.ttl());
    for (Rdata r : s.rdata()) {
      // toByteArray already copied: no need to copy again
      b.addRdata(UnsafeByteOperations.unsafeWrap(r.toByteArray()));
    }
    return b.build();
  }

  public static RRSet fromProto(io.minilb.proto.v1.RRSet s) {
    var rdata = new ArrayList<Rdata>(s.getRdataCount());
    for (ByteString b : s.getRdataList()) {
      rdata.add(Rdata.of(b.toByteArray()));
    }
    return new RRSet(s.getName(), s.getType(), s.getTtl(), rdata);
  }

  public static io.minilb.proto.v1.Snapshot toProto(Snapshot s) {
    var b =
        io.minilb.proto.v1.Snapshot.newBuilder()
            .setVersion(toProto(s.version()))
            .addAllZones(s.zones());
    s.rrsets().values().stream()
        .sorted((a, c) -> a.key().compareTo(c.key()))
        .forEach(r -> b.addRrsets(toProto(r)));
    return b.build();
  }

  /** Why a snapshot message without a version is rejected. */
  public static final String NO_VERSION = "snapshot without a version";

  /**
   * The model of a snapshot message.
   *
   * @throws IllegalArgumentException if it has no version (an empty message, say): every snapshot a
   *     controller sends has one, and one read as version 0/0 would replace good data
   */
  public static Snapshot fromProto(io.minilb.proto.v1.Snapshot s) {
    if (!s.hasVersion()) {
      throw new IllegalArgumentException(NO_VERSION);
    }
    return new Snapshot(fromProto(s.getVersion()), s.getZonesList(), rrsets(s.getRrsetsList()));
  }

  public static io.minilb.proto.v1.Delta toProto(Delta d) {
    var b =
        io.minilb.proto.v1.Delta.newBuilder()
            .setBase(toProto(d.base()))
            .setVersion(toProto(d.version()))
            .addAllZones(d.zones());
    d.upserts().forEach(s -> b.addUpserts(toProto(s)));
    d.removals().forEach(k -> b.addRemovals(toProto(k)));
    return b.build();
  }

  public static Delta fromProto(io.minilb.proto.v1.Delta d) {
    return new Delta(
        fromProto(d.getBase()),
        fromProto(d.getVersion()),
        d.getZonesList(),
        rrsets(d.getUpsertsList()),
        d.getRemovalsList().stream().map(Messages::fromProto).toList());
  }

  private static List<RRSet> rrsets(List<io.minilb.proto.v1.RRSet> sets) {
    var out = new ArrayList<RRSet>(sets.size());
    for (var s : sets) {
      out.add(fromProto(s));
    }
    return out;
  }
}
