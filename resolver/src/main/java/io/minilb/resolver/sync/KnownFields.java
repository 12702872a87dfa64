package io.minilb.resolver.sync;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Whether a {@code WatchResponse}'s wire form holds only the fields this resolver knows, each with
 * its declared wire type, checked before protobuf parses it. protobuf keeps every unknown field,
 * and an unknown group costs a whole {@code UnknownFieldSet}: a 1 MiB delta of removals each
 * holding two empty groups parsed into 76 times its size. With known fields only, the most a
 * response grows when parsed and converted is some 45 times (upserts of one tiny rdata). Reads
 * without allocating, in one pass; nesting is bounded by the schema (four levels).
 */
final class KnownFields {

  private KnownFields() {}

  private enum Kind {
    RESPONSE,
    SNAPSHOT,
    DELTA,
    RRSET,
    RRKEY,
    VERSION
  }

  /** True when {@code bytes} is a well-formed response of known fields only. */
  static boolean only(byte[] bytes) {
    try {
      return message(CodedInputStream.newInstance(bytes), Kind.RESPONSE);
    } catch (IOException e) {
      return false; // truncated or malformed: protobuf would refuse it too
    }
  }

  private static boolean message(CodedInputStream in, Kind kind) throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int field = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      Kind child = child(kind, field);
      if (wireType != wireType(kind, field)) {
        return false;
      }
      if (child == null) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      if (!message(in, child)) {
        return false;
      }
      in.popLimit(limit);
    }
    return true;
  }

  /** The message field {@code field} of {@code kind} holds; null for a scalar or none. */
  private static Kind child(Kind kind, int field) {
    return switch (kind) {
      case RESPONSE -> field == 1 ? Kind.SNAPSHOT : field == 2 ? Kind.DELTA : null;
      case SNAPSHOT -> field == 1 ? Kind.VERSION : field == 3 ? Kind.RRSET : null;
      case DELTA ->
          switch (field) {
            case 1, 2 -> Kind.VERSION;
            case 4 -> Kind.RRSET;
            case 5 -> Kind.RRKEY;
            default -> null;
          };
      case RRSET, RRKEY, VERSION -> null;
    };
  }

  /** The wire type field {@code field} of {@code kind} is declared with; -1 when it has none. */
  private static int wireType(Kind kind, int field) {
    int len = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    int varint = WireFormat.WIRETYPE_VARINT;
    return switch (kind) {
      case RESPONSE -> field == 1 || field == 2 ? len : -1;
      case SNAPSHOT -> field >= 1 && field <= 3 ? len : -1;
      case DELTA -> field >= 1 && field <= 5 ? len : -1;
      case RRSET -> field == 1 || field == 4 ? len : field == 2 || field == 3 ? varint : -1;
      case RRKEY -> field == 1 ? len : field == 2 ? varint : -1;
      case VERSION -> field == 1 ? WireFormat.WIRETYPE_FIXED64 : field == 2 ? varint : -1;
    };
  }
}
