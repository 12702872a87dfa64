package io.minilb.resolver.store;

import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * A zone's SOA as the authority record of a negative answer (RFC 2308), kept in wire form so that
 * NXDOMAIN and NODATA can be written without building a message: the TTL is already min(SOA TTL,
 * SOA minimum), MNAME and RNAME keep the spelling they arrived with, and the five counters are one
 * 20-octet tail. Immutable.
 *
 * <p>{@link #write} compresses names exactly as dnsjava's {@code Message.toWire} does for the same
 * response (header, one question, this record): each suffix of each name written goes into a table,
 * names match case-insensitively, and a name is written as labels up to its first suffix already in
 * the table, then a pointer to it. With one question before it, that table holds the question's
 * suffixes and then MNAME's, so every choice can be made by comparing at most one candidate per
 * suffix, and the bytes equal the general path's.
 */
public final class NegativeSoa {

  private static final int SOA = 6;
  private static final int IN = 1;

  private final int apexLabels;
  private final int ttl;
  private final byte[] host;
  private final int[] hostLabels;
  private final byte[] admin;
  private final int[] adminLabels;
  private final byte[] tail;

  private NegativeSoa(Name apex, SOARecord soa) {
    this.apexLabels = apex.labels() - 1;
    this.ttl = (int) soa.getTTL();
    this.host = soa.getHost().toWire();
    this.hostLabels = labelStarts(host);
    this.admin = soa.getAdmin().toWire();
    this.adminLabels = labelStarts(admin);
    this.tail = new byte[20];
    long[] counters = {
      soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()
    };
    for (int i = 0; i < counters.length; i++) {
      u32(tail, 4 * i, (int) counters[i]);
    }
  }

  /** The negative SOA of the zone at {@code apex}; null for the root zone (never written here). */
  static NegativeSoa of(Name apex, SOARecord negativeSoa) {
    return apex.labels() <= 1 ? null : new NegativeSoa(apex, negativeSoa);
  }

  /** The most octets {@link #write} takes (names uncompressed). */
  public int maxLength() {
    return 2 + 10 + host.length + admin.length + tail.length;
  }

  /** The TTL the record carries (min of the SOA's TTL and its minimum). */
  public int ttl() {
    return ttl;
  }

  /**
   * Writes the record at {@code at} in {@code out}, which already holds, uncompressed at {@code
   * nameAt}, a question name inside this zone; returns the position after it. The caller has
   * checked that {@link #maxLength} octets fit.
   */
  public int write(byte[] out, int nameAt, int at) {
    int qLabels = 0;
    for (int p = nameAt; out[p] != 0; p += (out[p] & 0xFF) + 1) {
      qLabels++;
    }
    // The owner is the apex, a suffix of the question: always a pointer into it.
    at = pointer(out, at, skip(out, nameAt, qLabels - apexLabels));
    out[at] = 0;
    out[at + 1] = SOA;
    out[at + 2] = 0;
    out[at + 3] = IN;
    u32(out, at + 4, ttl);
    int rdlengthAt = at + 8;
    at += 10;
    int hostAt = at;
    int written = hostLabels.length; // MNAME's suffixes written as labels (in the table)
    for (int i = 0; i < hostLabels.length; i++) {
      int q = questionSuffix(out, nameAt, qLabels, host, hostLabels, i);
      if (q >= 0) {
        at = pointer(out, at, q);
        written = i;
        break;
      }
      at = label(host, hostLabels[i], out, at);
    }
    if (written == hostLabels.length) {
      out[at++] = 0;
    }
    boolean pointed = false;
    for (int i = 0; i < adminLabels.length && !pointed; i++) {
      int q = questionSuffix(out, nameAt, qLabels, admin, adminLabels, i);
      int h = hostLabels.length - (adminLabels.length - i); // MNAME's suffix of as many labels
      if (q >= 0) {
        at = pointer(out, at, q);
        pointed = true;
      } else if (h >= 0 && h < written && sameName(host, hostLabels[h], admin, adminLabels[i])) {
        at = pointer(out, at, hostAt + hostLabels[h]);
        pointed = true;
      } else {
        at = label(admin, adminLabels[i], out, at);
      }
    }
    if (!pointed) {
      out[at++] = 0;
    }
    System.arraycopy(tail, 0, out, at, tail.length);
    at += tail.length;
    int rdlength = at - rdlengthAt - 2;
    out[rdlengthAt] = (byte) (rdlength >> 8);
    out[rdlengthAt + 1] = (byte) rdlength;
    return at;
  }

  /**
   * Where the question's suffix equal to suffix {@code i} of {@code name} starts in {@code out}
   * (only the suffix with as many labels can be), or -1.
   */
  private static int questionSuffix(
      byte[] out, int nameAt, int qLabels, byte[] name, int[] starts, int i) {
    int labels = starts.length - i;
    if (labels > qLabels) {
      return -1;
    }
    int q = skip(out, nameAt, qLabels - labels);
    return sameName(out, q, name, starts[i]) ? q : -1;
  }

  /** Whether the uncompressed names at {@code a[ai]} and {@code b[bi]} are equal, ignoring case. */
  private static boolean sameName(byte[] a, int ai, byte[] b, int bi) {
    while (true) {
      int len = a[ai];
      if (len != b[bi]) {
        return false;
      }
      if (len == 0) {
        return true;
      }
      for (int k = 1; k <= len; k++) {
        if (lower(a[ai + k]) != lower(b[bi + k])) {
          return false;
        }
      }
      ai += len + 1;
      bi += len + 1;
    }
  }

  private static int lower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
  }

  private static int skip(byte[] m, int p, int labels) {
    for (int i = 0; i < labels; i++) {
      p += (m[p] & 0xFF) + 1;
    }
    return p;
  }

  private static int pointer(byte[] out, int at, int target) {
    out[at] = (byte) (0xC0 | (target >> 8));
    out[at + 1] = (byte) target;
    return at + 2;
  }

  private static int label(byte[] name, int start, byte[] out, int at) {
    int len = (name[start] & 0xFF) + 1;
    System.arraycopy(name, start, out, at, len);
    return at + len;
  }

  /** The offsets of the labels of an uncompressed wire name, root excluded. */
  private static int[] labelStarts(byte[] name) {
    int n = 0;
    for (int p = 0; name[p] != 0; p += (name[p] & 0xFF) + 1) {
      n++;
    }
    int[] starts = new int[n];
    int p = 0;
    for (int i = 0; i < n; i++) {
      starts[i] = p;
      p += (name[p] & 0xFF) + 1;
    }
    return starts;
  }

  private static void u32(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 24);
    out[at + 1] = (byte) (v >>> 16);
    out[at + 2] = (byte) (v >>> 8);
    out[at + 3] = (byte) v;
  }
}
