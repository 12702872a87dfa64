package io.minilb.resolver.dns;

import io.minilb.resolver.store.NegativeSoa;

/**
 * NXDOMAIN and NODATA (RFC 2308) in wire form, for the {@link FastPath}: the query's header and
 * question, AA set and RD copied, the zone's SOA in the authority section (its names compressed as
 * the general path's renderer does, see {@link NegativeSoa}), and our OPT last when the query had
 * one. The same bytes as the {@link Answerer} produces for the same query.
 */
final class NegativeAnswer {

  static final int NOERROR = 0;
  static final int NXDOMAIN = 3;

  private NegativeAnswer() {}

  /**
   * Writes the response to the query {@code q[0, questionEnd)} (one uncompressed question, already
   * checked) into {@code out}; returns its length, or -1 when it might not fit in {@code limit}
   * octets (the general path then decides what to cut).
   *
   * @param opt our OPT record in wire form, or null when the query had none
   */
  static int write(
      byte[] q, int questionEnd, int rcode, NegativeSoa soa, byte[] opt, byte[] out, int limit) {
    int optLength = opt == null ? 0 : opt.length;
    if (questionEnd + soa.maxLength() + optLength > Math.min(limit, out.length)) {
      return -1;
    }
    System.arraycopy(q, 0, out, 0, questionEnd);
    out[2] = (byte) (0x84 | (q[2] & 0x01)); // QR, AA, RD copied; opcode 0
    out[3] = (byte) rcode; // RA=0
    out[6] = 0;
    out[7] = 0;
    out[8] = 0;
    out[9] = 1;
    out[10] = 0;
    out[11] = (byte) (opt != null ? 1 : 0);
    int at = soa.write(out, Responder.HEADER_LENGTH, questionEnd);
    if (opt != null) {
      System.arraycopy(opt, 0, out, at, opt.length);
      at += opt.length;
    }
    return at;
  }
}
