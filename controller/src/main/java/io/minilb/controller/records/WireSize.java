package io.minilb.controller.records;

import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.util.List;

/**
 * Bytes of a snapshot's protobuf encoding ({@code minilb.v1.Snapshot} in {@code stream.proto}),
 * counted field by field without encoding it: what admission holds under {@link
 * Limits#snapshotBytes()}. An RRset and a zone are counted exactly; the version at its largest.
 * Resolvers read a snapshot only up to a size in bytes, and names of up to 255 octets in owners and
 * rdata make bytes grow faster than records or names.
 */
final class WireSize {

  private WireSize() {}

  /**
   * The snapshot's version at its largest: the field's tag and length, then a fixed64 epoch and a
   * sequence of up to ten varint bytes, each after its tag.
   */
  static final int VERSION = 2 + 9 + 11;

  /** Bytes {@code sets} add to a snapshot as its {@code rrsets} entries. */
  static long of(List<RRSet> sets) {
    long n = 0;
    for (RRSet s : sets) {
      n += of(s);
    }
    return n;
  }

  /** One {@code rrsets} entry: its tag and length, then the RRset's fields. */
  static int of(RRSet s) {
    int body = string(s.name()) + number(s.type()) + number(s.ttl());
    for (Rdata r : s.rdata()) {
      body += 1 + varint(r.length()) + r.length();
    }
    return 1 + varint(body) + body;
  }

  /** The {@code rrsets} entry of an RRset holding one rdata of {@code length} bytes. */
  static int of(String name, int type, int ttl, int length) {
    int body = string(name) + number(type) + number(ttl) + 1 + varint(length) + length;
    return 1 + varint(body) + body;
  }

  /** One {@code zones} entry. */
  static int zone(String apex) {
    return string(apex);
  }

  private static int string(String s) {
    int n = utf8(s);
    return 1 + varint(n) + n;
  }

  /** A uint32 field: proto3 leaves out a zero. */
  private static int number(int v) {
    return v == 0 ? 0 : 1 + varint(Integer.toUnsignedLong(v));
  }

  static int varint(long v) {
    int n = 1;
    while ((v >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /** At least the UTF-8 length of {@code s}: a lone surrogate counts 2 where protobuf writes 1. */
  private static int utf8(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return n;
  }
}
