package io.minilb.resolver.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What our response's OPT record carries for one query: the DO bit echoed (RFC 3225 section 3), the
 * NSID when it was asked for (RFC 5001), the COOKIE (RFC 7873), plus per response the extended
 * RCODE bits and at most one Extended DNS Error (RFC 8914). Both answer paths render the OPT here,
 * so they cannot differ in it. Immutable.
 *
 * @param nsid our NSID when the query asked for it, else null
 * @param cookie client and server cookie to return, else null
 * @param cookieValid the query's server cookie was valid (the client proved its address)
 */
record EdnsReply(boolean dnssecOk, byte[] nsid, byte[] cookie, boolean cookieValid) {

  /** No Extended DNS Error. */
  static final int NO_EDE = -1;

  static final int EDE_STALE_ANSWER = 3;
  static final int EDE_NOT_READY = 14;
  static final int EDE_PROHIBITED = 18;
  static final int EDE_NOT_AUTHORITATIVE = 20;
  static final int EDE_NO_REACHABLE_AUTHORITY = 22;

  private static final int EDE = 15;
  private static final int DO = 0x80;

  /** An OPT with only the DO bit echoed: for errors in the OPT itself. */
  static EdnsReply bare(EdnsQuery q) {
    return new EdnsReply(q.dnssecOk(), null, null, false);
  }

  /** What the query's cookie proved. */
  Reply.Cookie cookieState() {
    return cookie == null
        ? Reply.Cookie.NONE
        : cookieValid ? Reply.Cookie.VALID : Reply.Cookie.UNPROVEN;
  }

  /** The OPT record in wire format for a response with {@code rcode} (its upper 8 bits go here). */
  byte[] wire(int rcode, int ede) {
    int rdlen =
        (nsid == null ? 0 : 4 + nsid.length)
            + (cookie == null ? 0 : 4 + cookie.length)
            + (ede == NO_EDE ? 0 : 6);
    byte[] out = new byte[11 + rdlen];
    out[2] = EdnsQuery.OPT;
    out[3] = (byte) (Answerer.MAX_UDP_PAYLOAD >> 8);
    out[4] = (byte) Answerer.MAX_UDP_PAYLOAD;
    out[5] = (byte) (rcode >>> 4);
    out[7] = (byte) (dnssecOk ? DO : 0);
    out[9] = (byte) (rdlen >> 8);
    out[10] = (byte) rdlen;
    int p = 11;
    if (nsid != null) {
      p = option(out, p, EdnsQuery.NSID, nsid);
    }
    if (cookie != null) {
      p = option(out, p, EdnsQuery.COOKIE, cookie);
    }
    if (ede != NO_EDE) {
      option(out, p, EDE, new byte[] {(byte) (ede >> 8), (byte) ede});
    }
    return out;
  }

  /** The same OPT as a record, for responses built as a dnsjava message. */
  OPTRecord record(int rcode, int ede) {
    try {
      return (OPTRecord) Record.fromWire(wire(rcode, ede), Section.ADDITIONAL);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // our own encoding: cannot happen
    }
  }

  private static int option(byte[] out, int p, int code, byte[] data) {
    out[p] = (byte) (code >> 8);
    out[p + 1] = (byte) code;
    out[p + 2] = (byte) (data.length >> 8);
    out[p + 3] = (byte) data.length;
    System.arraycopy(data, 0, out, p + 4, data.length);
    return p + 4 + data.length;
  }
}
