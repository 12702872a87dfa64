package io.minilb.resolver.dns;

import java.io.ByteArrayOutputStream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Queries built byte by byte, for the malformed and unusual ones no client library sends. */
final class RawQuery {

  static final byte[] CLIENT_COOKIE = {
    0x24, 0x64, (byte) 0xc4, (byte) 0xab, (byte) 0xcf, 0x10, (byte) 0xc9, 0x57
  };

  private RawQuery() {}

  static byte[] query(String name, int type) {
    return query(name, type, DClass.IN);
  }

  static byte[] query(String name, int type, int dclass) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass)).toWire();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static byte[] option(int code, byte[] data) {
    byte[] o = new byte[4 + data.length];
    o[0] = (byte) (code >> 8);
    o[1] = (byte) code;
    o[2] = (byte) (data.length >> 8);
    o[3] = (byte) data.length;
    System.arraycopy(data, 0, o, 4, data.length);
    return o;
  }

  /** An OPT record: root owner, {@code size}, version, DO bit, and {@code rdata} as given. */
  static byte[] opt(int size, int version, boolean dnssecOk, byte[]... options) {
    var rdata = new ByteArrayOutputStream();
    for (byte[] o : options) {
      rdata.writeBytes(o);
    }
    byte[] r = rdata.toByteArray();
    byte[] out = new byte[11 + r.length];
    out[2] = 41;
    out[3] = (byte) (size >> 8);
    out[4] = (byte) size;
    out[6] = (byte) version;
    out[7] = (byte) (dnssecOk ? 0x80 : 0);
    out[9] = (byte) (r.length >> 8);
    out[10] = (byte) r.length;
    System.arraycopy(r, 0, out, 11, r.length);
    return out;
  }

  /** {@code base} with {@code records} appended to the additional section. */
  static byte[] with(byte[] base, byte[]... records) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(base);
    for (byte[] r : records) {
      out.writeBytes(r);
    }
    byte[] w = out.toByteArray();
    int ar = (((w[10] & 0xFF) << 8) | (w[11] & 0xFF)) + records.length;
    w[10] = (byte) (ar >> 8);
    w[11] = (byte) ar;
    return w;
  }

  static byte[] edns(byte[] base, byte[]... options) {
    return with(base, opt(1232, 0, false, options));
  }

  static byte[] cookie(int length) {
    byte[] c = new byte[length];
    System.arraycopy(CLIENT_COOKIE, 0, c, 0, Math.min(8, length));
    return option(10, c);
  }

  static byte[] ixfrWithSoa() {
    try {
      Message q = Message.newQuery(Record.newRecord(Name.fromString("minilb."), Type.IXFR, 1));
      q.addRecord(
          new SOARecord(
              Name.fromString("minilb."),
              DClass.IN,
              5,
              Name.fromString("ns.minilb."),
              Name.fromString("hostmaster.minilb."),
              41,
              60,
              30,
              3600,
              3),
          Section.AUTHORITY);
      return q.toWire();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
