package io.minilb.resolver.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.minilb.proto.Messages;
import io.minilb.snapshot.Rdata;
import io.minilb.snapshot.Snapshot;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A {@code minilb.v1.Snapshot} message in wire form, indexed RRset by RRset: the message is never
 * decoded whole, so a full sync or a snapshot file holds the wire bytes and the index being built,
 * not also a tree of protobuf objects and a model {@code Snapshot} of the same records (at 50k
 * Services those two were about 60 MiB each). The result is the index {@code
 * ZoneIndex.of(Messages.fromProto(Snapshot.parseFrom(bytes)))} would give, including its checks: a
 * malformed message, name or rdata, a duplicate RRset or a zone without its SOA throws.
 *
 * <p>Any byte string reads as the generated parser reads it: a version field that appears more than
 * once is merged, a field of another wire type than its number's is skipped as unknown, unknown
 * fields of every wire type are skipped, and an empty version is {@code 0/0}. A snapshot without a
 * version field throws, as {@link Messages#fromProto(io.minilb.proto.v1.Snapshot)} does. The one
 * difference is the cap: an RRset of more than {@link #MAX_RDATA_PER_RRSET} records throws here,
 * where the generated parser would hold it.
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

  // Tags (field number and wire type) of the fields read; any other tag is skipped.
  private static final int VERSION = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int ZONE = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int RRSET = 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int NAME = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TYPE = 2 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int TTL = 3 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int RDATA = 4 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private WireSnapshot() {}

  /**
   * The index of the snapshot message in {@code bytes[offset, offset + length)}.
   *
   * @throws IllegalArgumentException if the message or a record in it is malformed
   */
  public static ZoneIndex index(byte[] bytes, int offset, int length) {
    // First pass: version, zones and how many RRsets; the second reads the RRsets into the index.
    var version = io.minilb.proto.v1.Version.newBuilder();
    // A set: a repeated zone field costs nothing more (a message of the stream's size could repeat
    // one zone some 15 million times), and more distinct zones than names cannot be a real index.
    var zones = new LinkedHashSet<String>();
    int rrsets = 0;
    boolean versioned = false;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          // A message field that appears more than once is merged, as protobuf does; the version
          // is two numbers, so its generated builder costs nothing.
          case VERSION -> {
            in.readMessage(version, ExtensionRegistryLite.getEmptyRegistry());
            versioned = true;
          }
          case ZONE -> {
            if (zones.add(in.readStringRequireUtf8()) && zones.size() > ZoneIndex.MAX_NAMES) {
              throw new IllegalArgumentException(
                  "more than " + ZoneIndex.MAX_NAMES + " zones in one snapshot");
            }
          }
          case RRSET -> {
            rrsets++;
            skip(in, tag);
          }
          default -> skip(in, tag);
        }
      }
      // No controller sends a snapshot without a version; read as 0/0 it would replace the data
      // held (an empty message, 0a 00 on the stream, is such a snapshot). Rejected here as the
      // model conversion rejects it.
      if (!versioned) {
        throw new IllegalArgumentException(Messages.NO_VERSION);
      }
      // The zones canonical and sorted, as the model's Snapshot keeps them.
      var snapshot =
          new Snapshot(Messages.fromProto(version.build()), List.copyOf(zones), List.of());
      var builder = new ZoneIndex.Builder(rrsets);
      in = CodedInputStream.newInstance(bytes, offset, length);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == RRSET) {
          nested(in, builder);
        } else {
          skip(in, tag); // read once already in the first pass
        }
      }
      return builder.build(snapshot.version(), snapshot.zones());
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * Adds the length-delimited RRSet at the stream's position to {@code out}, read within the limits
   * of a generated parser's {@code readMessage}: the message's own level counts against the
   * recursion limit (groups in an unknown field nest one level less deep than at the top).
   */
  private static void nested(CodedInputStream in, ZoneIndex.Builder out) throws IOException {
    int length = in.readRawVarint32();
    int recursion = in.setRecursionLimit(0);
    in.setRecursionLimit(Math.max(0, recursion - 1));
    int limit = in.pushLimit(length);
    try {
      rrset(in, out);
    } finally {
      in.popLimit(limit);
      in.setRecursionLimit(recursion);
    }
  }

  /**
   * One {@code minilb.v1.RRSet}, straight from its fields into the index, with the checks the
   * model's {@code RRSet} and {@code Rdata} make (an absolute name, a TTL below 2^31, at least one
   * rdata of at most 65,535 bytes); no protobuf or model object in between.
   */
  private static void rrset(CodedInputStream in, ZoneIndex.Builder out) throws IOException {
    String name = "";
    int type = 0;
    int ttl = 0;
    var rdata = new byte[4][];
    int count = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case NAME -> name = in.readStringRequireUtf8();
        case TYPE -> type = in.readUInt32();
        case TTL -> ttl = in.readUInt32();
        case RDATA -> {
          if (count == MAX_RDATA_PER_RRSET) {
            throw new IOException(
                "an RRset with more than " + MAX_RDATA_PER_RRSET + " records at '" + name + "'");
          }
          byte[] b = in.readByteArray();
          if (b.length > Rdata.MAX_LENGTH) {
            throw new IllegalArgumentException("rdata of " + b.length + " bytes");
          }
          if (count == rdata.length) {
            rdata = Arrays.copyOf(rdata, 2 * count);
          }
          rdata[count++] = b;
        }
        default -> skip(in, tag);
      }
    }
    if (name.isEmpty() || !name.endsWith(".")) {
      throw new IllegalArgumentException("name must be absolute (end with '.'): " + name);
    }
    name = name.toLowerCase(Locale.ROOT);
    if (ttl < 0) {
      throw new IllegalArgumentException("negative TTL for " + name);
    }
    if (count == 0) {
      throw new IllegalArgumentException("empty RRset " + name + "/" + type);
    }
    out.add(name, type, ttl, count == rdata.length ? rdata : Arrays.copyOf(rdata, count));
  }

  /**
   * Skips a field this reader does not use, as a generated parser skips an unknown one: a known
   * field number with another wire type is such a field too. An end-group tag without its group
   * ends a generated parse with an error, so it throws here.
   */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("end-group tag outside a group");
    }
  }
}
