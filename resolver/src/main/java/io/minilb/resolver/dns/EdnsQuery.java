package io.minilb.resolver.dns;

/**
 * The EDNS(0) part of a query (RFC 6891), read straight from the wire so that it is known even when
 * the rest of the message cannot be parsed: an error response then still carries an OPT (RFC 6891
 * section 7). Immutable; {@code cookie} is never modified after parsing.
 *
 * @param count OPT records in the query; more than one is FORMERR (RFC 6891 section 6.1.1)
 * @param udpSize the requestor's payload size as sent
 * @param dnssecOk the DO bit (RFC 3225), echoed in the response
 * @param malformed the OPT (or the message around it) is malformed: FORMERR
 * @param nsid an NSID option was present (RFC 5001)
 * @param cookie the COOKIE option's data, 8 or 16 to 40 bytes (RFC 7873); null without one
 * @param questionEnd where the question section ends, or -1 when it could not be read
 */
record EdnsQuery(
    int count,
    int udpSize,
    int version,
    boolean dnssecOk,
    boolean malformed,
    boolean nsid,
    byte[] cookie,
    int questionEnd) {

  static final int OPT = 41;
  static final int NSID = 3;
  static final int COOKIE = 10;
  private static final int HEADER = 12;

  /** The same, marked malformed (the rest of the message did not parse). */
  EdnsQuery asMalformed() {
    return new EdnsQuery(count, udpSize, version, dnssecOk, true, nsid, cookie, questionEnd);
  }

  /** Whether the OPT is one well-formed version 0 record, so the query may be answered. */
  boolean usable() {
    return count == 1 && version == 0 && !malformed;
  }

  /**
   * Reads the OPT records of a whole message. Null when the message has none, or when it cannot be
   * read as far as a complete OPT header (then there is no OPT to answer with).
   */
  static EdnsQuery scan(byte[] m) {
    int len = m.length;
    if (len < HEADER) {
      return null;
    }
    int qd = u16(m, 4);
    int rr = u16(m, 6) + u16(m, 8);
    int ar = u16(m, 10);
    int p = HEADER;
    for (int i = 0; i < qd; i++) {
      p = skipName(m, p);
      if (p < 0 || p + 4 > len) {
        return null;
      }
      p += 4;
    }
    int questionEnd = p;
    for (int i = 0; i < rr; i++) {
      p = skipRecord(m, p);
      if (p < 0) {
        return null;
      }
    }
    EdnsQuery found = null;
    int count = 0;
    boolean cut = false;
    for (int i = 0; i < ar; i++) {
      int name = skipName(m, p);
      if (name < 0 || name + 10 > len) {
        cut = true;
        break;
      }
      if (u16(m, name) == OPT) {
        count++;
        if (found == null) {
          found = opt(m, p, name, len, questionEnd);
        }
      }
      p = skipRecord(m, p);
      if (p < 0) {
        cut = true;
        break;
      }
    }
    if (found == null) {
      return null;
    }
    boolean malformed = found.malformed() || cut;
    return new EdnsQuery(
        count,
        found.udpSize(),
        found.version(),
        found.dnssecOk(),
        malformed,
        found.nsid(),
        found.cookie(),
        questionEnd);
  }

  /**
   * Reads exactly one OPT record that starts at {@code at} and ends at {@code end}; null when the
   * bytes are anything else or the record is not usable (the fast path then declines the query).
   */
  static EdnsQuery single(byte[] m, int at, int end) {
    if (at + 11 > end || m[at] != 0 || u16(m, at + 1) != OPT || at + 11 + u16(m, at + 9) != end) {
      return null;
    }
    EdnsQuery e = opt(m, at, at + 1, end, at);
    return e.usable() ? e : null;
  }

  /** The OPT whose owner starts at {@code start} and whose type starts at {@code type}. */
  private static EdnsQuery opt(byte[] m, int start, int type, int len, int questionEnd) {
    int size = u16(m, type + 2);
    int version = m[type + 5] & 0xFF;
    boolean dnssecOk = (m[type + 6] & 0x80) != 0;
    int rdStart = type + 10;
    int rdEnd = rdStart + u16(m, type + 8);
    boolean malformed = m[start] != 0 || rdEnd > len; // owner must be the root
    boolean nsid = false;
    byte[] cookie = null;
    int p = rdStart;
    while (!malformed && p < rdEnd) {
      if (p + 4 > rdEnd) {
        malformed = true; // a cut-off option header
        break;
      }
      int code = u16(m, p);
      int optLen = u16(m, p + 2);
      p += 4;
      if (p + optLen > rdEnd) {
        malformed = true; // an option running past the record
        break;
      }
      if (code == NSID) {
        nsid = true;
      } else if (code == COOKIE && cookie == null) {
        // RFC 7873 section 5.2.2: a client cookie of 8 bytes, a server cookie of 8 to 32
        if (optLen != 8 && (optLen < 16 || optLen > 40)) {
          malformed = true;
          break;
        }
        cookie = java.util.Arrays.copyOfRange(m, p, p + optLen);
      }
      p += optLen;
    }
    return new EdnsQuery(1, size, version, dnssecOk, malformed, nsid, cookie, questionEnd);
  }

  /** The offset after the name at {@code p}, or -1 if it runs past the end or is not a name. */
  static int skipName(byte[] m, int p) {
    while (p < m.length) {
      int l = m[p] & 0xFF;
      if (l == 0) {
        return p + 1;
      }
      if ((l & 0xC0) == 0xC0) {
        return p + 2 <= m.length ? p + 2 : -1;
      }
      if (l > 63) {
        return -1;
      }
      p += 1 + l;
    }
    return -1;
  }

  /** The offset after the resource record at {@code p}, or -1 if it runs past the end. */
  static int skipRecord(byte[] m, int p) {
    p = skipName(m, p);
    if (p < 0 || p + 10 > m.length) {
      return -1;
    }
    p += 10 + u16(m, p + 8);
    return p <= m.length ? p : -1;
  }

  static int u16(byte[] m, int at) {
    return ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
  }
}
