package io.minilb.resolver.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.minilb.proto.Messages;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import io.minilb.snapshot.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A {@code minilb.v1.Snapshot} message in wire form, indexed RRset by RRset: the message is never
 * decoded whole, so a full sync or a snapshot file holds the wire bytes and the index being built,
 * not also a tree of protobuf objects and a model {@code Snapshot} of the same records (at 50k
 * Services those two were about 60 MiB each). The result is the index {@code
 * ZoneIndex.of(Messages.fromProto(Snapshot.parseFrom(bytes)))} would give, including its checks: a
 * malformed message, name or rdata, a duplicate RRset or a zone without its SOA throws.
 */
public final class WireSnapshot {

  /**
   * The most records one RRset may carry. Far above anything the controller sends (it caps a
   * Service at {@code --max-endpoints-per-service}, 1,000 by default, and an object at {@code
   * --max-records-per-object}), and low enough that a hostile message cannot exhaust the heap with
   * millions of tiny records before the RRset is checked (each costs about 45 bytes of heap against
   * 3 on the wire).
   */
  public static final int MAX_RDATA_PER_RRSET = 65_535;

  private WireSnapshot() {}

  /**
   * The index of the snapshot message in {@code bytes[offset, offset + length)}.
   *
   * @throws IllegalArgumentException if the message or a record in it is malformed
   */
  public static ZoneIndex index(byte[] bytes, int offset, int length) {
    // First pass: version and zones; the second streams the RRsets into the index.
    Version version = null;
    var zones = new ArrayList<String>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 ->
              version = Messages.fromProto(io.minilb.proto.v1.Version.parseFrom(in.readBytes()));
          case 2 -> zones.add(in.readStringRequireUtf8());
          default -> in.skipField(tag);
        }
      }
      if (version == null) {
        throw new IllegalArgumentException("snapshot without a version");
      }
      // The zones canonical and sorted, as the model's Snapshot keeps them.
      var canonical = new Snapshot(version, zones, List.of()).zones();
      return ZoneIndex.ofDistinct(version, canonical, () -> new RRSets(bytes, offset, length));
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed snapshot: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("malformed snapshot: " + e.getCause().getMessage(), e);
    }
  }

  /** The RRsets (field 3) of a snapshot message, decoded as they are iterated. */
  private static final class RRSets implements Iterator<RRSet> {
    private final CodedInputStream in;
    private RRSet next;

    RRSets(byte[] bytes, int offset, int length) {
      in = CodedInputStream.newInstance(bytes, offset, length);
      advance();
    }

    private void advance() {
      try {
        next = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          if (tag == (3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
            int limit = in.pushLimit(in.readRawVarint32());
            next = rrset(in);
            in.popLimit(limit);
            return;
          }
          in.skipField(tag);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** One {@code minilb.v1.RRSet}, straight from its fields (no protobuf object in between). */
    private static RRSet rrset(CodedInputStream in) throws IOException {
      String name = "";
      int type = 0;
      int ttl = 0;
      var rdata = new ArrayList<Rdata>(4);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> name = in.readStringRequireUtf8(); // 1: name
          case 16 -> type = in.readUInt32(); // 2: type
          case 24 -> ttl = in.readUInt32(); // 3: ttl
          case 34 -> { // 4: rdata
            if (rdata.size() == MAX_RDATA_PER_RRSET) {
              throw new IOException(
                  "an RRset with more than " + MAX_RDATA_PER_RRSET + " records at '" + name + "'");
            }
            rdata.add(Rdata.of(in.readByteArray()));
          }
          default -> in.skipField(tag);
        }
      }
      return new RRSet(name, type, ttl, rdata);
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public RRSet next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      RRSet out = next;
      advance();
      return out;
    }
  }
}
