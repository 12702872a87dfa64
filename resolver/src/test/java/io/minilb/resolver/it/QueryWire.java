package io.minilb.resolver.it;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A DNS query assembled byte by byte, so that malformed variants (wrong counts, two OPTs, bad
 * option lengths, compression loops, cut packets) are as easy to write as valid ones. Mutable; one
 * per case.
 */
final class QueryWire {

  static final int QR = 0x8000;
  static final int AA = 0x0400;
  static final int TC = 0x0200;
  static final int RD = 0x0100;
  static final int RA = 0x0080;
  static final int Z = 0x0040;
  static final int AD = 0x0020;
  static final int CD = 0x0010;
  static final int OPT = 41;
  static final int DO = 0x8000;

  private int id = 0x4d4c;
  private int flags = RD;
  private Integer qdcount;
  private Integer ancount;
  private Integer nscount;
  private Integer arcount;
  private final List<byte[]> questions = new ArrayList<>();
  private final List<byte[]> answers = new ArrayList<>();
  private final List<byte[]> authority = new ArrayList<>();
  private final List<byte[]> additional = new ArrayList<>();
  private byte[] trailer = new byte[0];
  private int cutTo = -1;

  /** A QUERY with RD for {@code name type} in class IN. */
  static QueryWire of(String name, int type) {
    return new QueryWire().question(name, type, 1);
  }

  QueryWire flags(int v) {
    flags = v;
    return this;
  }

  QueryWire opcode(int opcode) {
    flags = (flags & ~0x7800) | (opcode << 11);
    return this;
  }

  QueryWire question(String name, int type, int dclass) {
    return rawQuestion(cat(name(name), u16(type), u16(dclass)));
  }

  QueryWire rawQuestion(byte[] bytes) {
    questions.add(bytes);
    return this;
  }

  QueryWire noQuestion() {
    questions.clear();
    return this;
  }

  QueryWire answer(byte[] record) {
    answers.add(record);
    return this;
  }

  QueryWire authority(byte[] record) {
    authority.add(record);
    return this;
  }

  QueryWire additional(byte[] record) {
    additional.add(record);
    return this;
  }

  /** Adds an OPT record: payload size, EDNS version, flags (DO = 0x8000), options as wire. */
  QueryWire edns(int size, int version, int ednsFlags, byte[]... options) {
    return additional(opt(size, version, ednsFlags, cat(options)));
  }

  QueryWire edns() {
    return edns(1232, 0, 0);
  }

  QueryWire counts(Integer qd, Integer an, Integer ns, Integer ar) {
    qdcount = qd;
    ancount = an;
    nscount = ns;
    arcount = ar;
    return this;
  }

  QueryWire trailer(byte[] bytes) {
    trailer = bytes;
    return this;
  }

  /** Keeps only the first {@code length} bytes. */
  QueryWire cut(int length) {
    cutTo = length;
    return this;
  }

  byte[] bytes() {
    byte[] body =
        cat(
            cat(questions.toArray(byte[][]::new)),
            cat(answers.toArray(byte[][]::new)),
            cat(authority.toArray(byte[][]::new)),
            cat(additional.toArray(byte[][]::new)),
            trailer);
    byte[] header =
        cat(
            u16(id),
            u16(flags),
            u16(qdcount != null ? qdcount : questions.size()),
            u16(ancount != null ? ancount : answers.size()),
            u16(nscount != null ? nscount : authority.size()),
            u16(arcount != null ? arcount : additional.size()));
    byte[] all = cat(header, body);
    return cutTo < 0 ? all : Arrays.copyOf(all, Math.min(cutTo, all.length));
  }

  /** An OPT record with {@code rdata} as its option list, whatever that holds. */
  static byte[] opt(int size, int version, int ednsFlags, byte[] rdata) {
    return cat(
        new byte[] {0},
        u16(OPT),
        u16(size),
        new byte[] {0, (byte) version},
        u16(ednsFlags),
        u16(rdata.length),
        rdata);
  }

  /** One EDNS option: code, length, data. */
  static byte[] option(int code, byte[] data) {
    return cat(u16(code), u16(data.length), data);
  }

  /** A resource record with an uncompressed owner. */
  static byte[] record(String owner, int type, int dclass, long ttl, byte[] rdata) {
    return cat(
        name(owner),
        u16(type),
        u16(dclass),
        u16((int) (ttl >>> 16)),
        u16((int) ttl),
        u16(rdata.length),
        rdata);
  }

  /** The wire form of a presentation name (escapes such as {@code \.} and {@code \000} allowed). */
  static byte[] name(String text) {
    try {
      var out = new DNSOutput();
      Name.fromString(text).toWire(out, null);
      return out.toByteArray();
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] cat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
