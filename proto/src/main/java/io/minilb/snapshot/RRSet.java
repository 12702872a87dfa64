package io.minilb.snapshot;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * All records of one owner name and type, with one TTL. Rdata is uncompressed DNS wire format, kept
 * in a deterministic order so that equal record sets compare equal. Immutable.
 */
public record RRSet(String name, int type, int ttl, List<ByteString> rdata) {

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

  public io.minilb.proto.v1.RRSet toProto() {
    return io.minilb.proto.v1.RRSet.newBuilder()
        .setName(name)
        .setType(type)
        .setTtl(ttl)
        .addAllRdata(rdata)
        .build();
  }

  public static RRSet fromProto(io.minilb.proto.v1.RRSet s) {
    return new RRSet(s.getName(), s.getType(), s.getTtl(), s.getRdataList());
  }
}
