package io.minilb.resolver.dns;

import io.minilb.resolver.store.RecordSet;
import io.minilb.resolver.store.ZoneIndex;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The common case without parsing into objects: a standard IN query for the A or AAAA records of an
 * exact owner, with at most one well-formed EDNS(0) OPT record. The response is the query's header
 * and question followed by the records (owner = pointer to the question, so its case is echoed), a
 * rotated window of at most {@code maxAnswers} of them cut further to what fits the transport, plus
 * our OPT (rendered by {@link EdnsReply}, as on the general path) when the query had one. Anything
 * else — and an answer where not even one record fits — returns null and takes the general {@link
 * Answerer} path, which remains the reference.
 */
final class FastPath {

  private static final int A = 1;
  private static final int AAAA = 28;
  private static final int IN = 1;

  private FastPath() {}

  /** As a server without NSID or cookies would answer, from current data. */
  static byte[] answer(byte[] q, boolean udp, ZoneIndex idx) {
    return answer(q, udp, idx, Answerer.DEFAULT_MAX_ANSWERS);
  }

  /** As a server without NSID or cookies would answer, from current data. */
  static byte[] answer(byte[] q, boolean udp, ZoneIndex idx, int maxAnswers) {
    Reply.Answer a = answer(q, udp, idx, maxAnswers, EdnsPolicy.NONE, null, false);
    return a == null ? null : a.wire();
  }

  /**
   * The response to {@code q} from {@code idx}, or null to use the general path. The caller has
   * already checked that {@code idx} is present and not past its freshness bound.
   *
   * @param udp whether the limit is the client's UDP size (else 65535, TCP)
   * @param client the client's address, for its server cookie (null in unit tests)
   * @param stale whether the data is unconfirmed (Extended DNS Error Stale Answer)
   */
  static Reply.Answer answer(
      byte[] q,
      boolean udp,
      ZoneIndex idx,
      int maxAnswers,
      EdnsPolicy policy,
      InetAddress client,
      boolean stale) {
    var s = QueryScratch.forThisThread();
    if (!s.load(q) || !answer(s, udp, idx, maxAnswers, policy, client, stale)) {
      return null;
    }
    return new Reply.Answer(Arrays.copyOf(s.response, s.responseLength), s.cookie);
  }

  /**
   * Answers the query in {@code s} into {@code s.response} (setting its length, cookie state and
   * QTYPE), or returns false to use the general path. Allocates only the name's lookup key when the
   * thread has not seen the name lately (and, for a query with an OPT, what rendering our OPT
   * takes).
   */
  static boolean answer(
      QueryScratch s,
      boolean udp,
      ZoneIndex idx,
      int maxAnswers,
      EdnsPolicy policy,
      InetAddress client,
      boolean stale) {
    byte[] q = s.query;
    int len = s.queryLength;
    // header: QR=0, opcode QUERY, QDCOUNT=1, ANCOUNT=NSCOUNT=0, ARCOUNT 0 or 1
    if (len < 17
        || (q[2] & 0xF8) != 0
        || q[4] != 0
        || q[5] != 1
        || q[6] != 0
        || q[7] != 0
        || q[8] != 0
        || q[9] != 0
        || q[10] != 0
        || (q[11] & 0xFE) != 0) {
      return false;
    }
    byte[] name = s.name;
    int n = 0;
    int hash = 0; // String.hashCode of the key, computed on the way
    int p = 12;
    while (true) {
      if (p >= len) {
        return false;
      }
      int l = q[p] & 0xFF;
      if (l == 0) {
        p++;
        break;
      }
      if (l > 63 || p + 1 + l > len || n + l + 1 > name.length) {
        return false; // compression pointer, malformed or too long: general path
      }
      for (int i = p + 1; i <= p + l; i++) {
        int c = q[i] & 0xFF;
        if (c >= 'A' && c <= 'Z') {
          c += 32;
        } else if (c <= ' ' || c >= 127 || escaped(c)) {
          return false; // the index's key would spell it differently (an escape)
        }
        name[n++] = (byte) c;
        hash = 31 * hash + c;
      }
      name[n++] = '.';
      hash = 31 * hash + '.';
      p += 1 + l;
    }
    if (p + 4 > len || n == 0) {
      return false;
    }
    int qtype = ((q[p] & 0xFF) << 8) | (q[p + 1] & 0xFF);
    int qclass = ((q[p + 2] & 0xFF) << 8) | (q[p + 3] & 0xFF);
    int questionEnd = p + 4;
    if (!dataType(qtype) || qclass != IN) {
      return false;
    }
    EdnsQuery edns = null;
    if (q[11] == 1) {
      // Exactly one OPT, version 0, every option well-formed; anything else is the general path's
      // (FORMERR, BADVERS), so neither path is more lenient than the other.
      edns = EdnsQuery.single(q, questionEnd, len);
      if (edns == null) {
        return false;
      }
    } else if (questionEnd != len) {
      return false;
    }
    String key = s.keys.key(name, n, hash);
    RecordSet set = idx.find(key, qtype);
    if (set == null) {
      return negative(s, idx, key, n, qtype, questionEnd, edns, udp, policy, client, stale);
    }
    if (qtype != A && qtype != AAAA) {
      return false; // other types' answers (additional records, sizes): general path
    }
    int limit = udp ? limit(edns) : Responder.MAX_TCP_MESSAGE;
    byte[] opt = null;
    Reply.Cookie cookie = Reply.Cookie.NONE;
    if (edns != null) {
      EdnsReply reply = policy.reply(edns, client);
      opt = reply.wire(0, stale ? EdnsReply.EDE_STALE_ANSWER : EdnsReply.NO_EDE);
      cookie = reply.cookieState();
    }
    // A and AAAA rdata have one fixed length (validated on entry): every record is the same size.
    int rdlen = set.rdataLength(0);
    int per = 12 + rdlen;
    int fixed = questionEnd + (opt != null ? opt.length : 0);
    int count = Math.min(Math.min(set.size(), maxAnswers), (limit - fixed) / per);
    if (count < 1 || fixed + count * per > s.response.length) {
      return false; // truncation, and answers larger than the scratch (TCP): general path
    }
    byte[] out = s.response;
    System.arraycopy(q, 0, out, 0, questionEnd);
    out[2] = (byte) (0x84 | (q[2] & 0x01)); // QR, AA, RD copied; opcode 0
    out[3] = 0; // RA=0, rcode NOERROR
    out[6] = (byte) (count >> 8);
    out[7] = (byte) count;
    out[10] = 0;
    out[11] = (byte) (opt != null ? 1 : 0);
    int at = questionEnd;
    int ttl = set.ttl();
    int start = set.nextStart(count);
    for (int i = 0; i < count; i++) {
      out[at] = (byte) 0xC0; // owner: pointer to the question name at offset 12
      out[at + 1] = 12;
      out[at + 2] = 0;
      out[at + 3] = (byte) qtype;
      out[at + 4] = 0;
      out[at + 5] = IN;
      out[at + 6] = (byte) (ttl >>> 24);
      out[at + 7] = (byte) (ttl >>> 16);
      out[at + 8] = (byte) (ttl >>> 8);
      out[at + 9] = (byte) ttl;
      out[at + 10] = (byte) (rdlen >> 8);
      out[at + 11] = (byte) rdlen;
      at = set.copyRdata((start + i) % set.size(), out, at + 12);
    }
    if (opt != null) {
      System.arraycopy(opt, 0, out, at, opt.length);
      at += opt.length;
    }
    s.responseLength = at;
    s.cookie = cookie;
    s.qtype = qtype;
    s.rcode = NegativeAnswer.NOERROR;
    return true;
  }

  /**
   * NODATA for a name that owns records, none of {@code qtype}; NXDOMAIN for a name that does not
   * exist and that no wildcard covers; both inside a served zone. Everything else that has no RRset
   * of the type (empty non-terminals, wildcards, names outside the zones) is left to the general
   * path.
   */
  private static boolean negative(
      QueryScratch s,
      ZoneIndex idx,
      String key,
      int n,
      int qtype,
      int questionEnd,
      EdnsQuery edns,
      boolean udp,
      EdnsPolicy policy,
      InetAddress client,
      boolean stale) {
    int rcode;
    if (idx.hasRecords(key)) {
      rcode = NegativeAnswer.NOERROR;
    } else if (idx.exists(key) || coveredByWildcard(s, idx, n)) {
      return false;
    } else {
      rcode = NegativeAnswer.NXDOMAIN;
    }
    ZoneIndex.Zone zone = zoneOf(s, idx, n);
    if (zone == null || zone.negativeWire() == null) {
      return false; // outside the zones (refused or forwarded), or the root zone
    }
    byte[] opt = null;
    Reply.Cookie cookie = Reply.Cookie.NONE;
    if (edns != null) {
      EdnsReply reply = policy.reply(edns, client);
      opt = reply.wire(rcode, stale ? EdnsReply.EDE_STALE_ANSWER : EdnsReply.NO_EDE);
      cookie = reply.cookieState();
    }
    int limit = udp ? limit(edns) : Responder.MAX_TCP_MESSAGE;
    int length =
        NegativeAnswer.write(
            s.query, questionEnd, rcode, zone.negativeWire(), opt, s.response, limit);
    if (length < 0) {
      return false;
    }
    s.responseLength = length;
    s.cookie = cookie;
    s.qtype = qtype;
    s.rcode = rcode;
    return true;
  }

  /**
   * The most specific zone whose apex is a suffix of the name {@code s.name[0, n)}: only suffixes
   * of at most as many labels as the deepest apex are looked up, longest first, their keys' hashes
   * computed in one backward pass that stops there. A name of 100 labels costs what a short one
   * does.
   */
  private static ZoneIndex.Zone zoneOf(QueryScratch s, ZoneIndex idx, int n) {
    byte[] name = s.name;
    int[] starts = s.labelStarts;
    int[] hashes = s.suffixHashes;
    int deepest = idx.apexLabels();
    int labels = 0;
    int h = 0;
    int pow = 1;
    for (int i = n - 1; i >= 0 && labels < deepest; i--) {
      h += name[i] * pow;
      pow *= 31;
      if (i == 0 || name[i - 1] == '.') {
        starts[labels] = i;
        hashes[labels] = h;
        labels++;
      }
    }
    for (int j = labels - 1; j >= 0; j--) {
      ZoneIndex.Zone z = idx.zoneAt(s.zoneKeys.key(name, starts[j], n, hashes[j]));
      if (z != null) {
        return z;
      }
    }
    return null;
  }

  /**
   * Whether {@code *.<parent>} owns records, where the parent is the name {@code s.name[0, n)}
   * without its first label: the general path would then answer from the wildcard.
   */
  private static boolean coveredByWildcard(QueryScratch s, ZoneIndex idx, int n) {
    byte[] name = s.name;
    int dot = 0;
    while (name[dot] != '.') {
      dot++;
    }
    if (dot + 1 == n) {
      return false; // a single label: its parent is the root, no zone of ours (see zoneOf)
    }
    byte[] wild = s.wildcard;
    wild[0] = '*';
    wild[1] = '.';
    int w = 2 + n - (dot + 1);
    System.arraycopy(name, dot + 1, wild, 2, n - (dot + 1));
    int hash = 0;
    for (int i = 0; i < w; i++) {
      hash = 31 * hash + wild[i];
    }
    return idx.hasRecords(s.zoneKeys.key(wild, 0, w, hash));
  }

  /**
   * The characters dnsjava escapes in a name's presentation form, which the index's keys use: a
   * question spelling one of them is left to the general path, where the key matches.
   */
  private static boolean escaped(int c) {
    return c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@'
        || c == '$';
  }

  /** The largest UDP response for a query with this OPT (none: 512 octets). */
  private static int limit(EdnsQuery edns) {
    return edns == null ? Answerer.CLASSIC_UDP_PAYLOAD : Answerer.udpLimit(edns.udpSize());
  }

  /**
   * Whether {@code qtype} is an ordinary data type, whose negative answer is the plain NODATA or
   * NXDOMAIN: not 0, OPT, or the meta and question-only types 128 to 255 (ANY, AXFR, IXFR, TSIG,
   * ...), which the general path handles.
   */
  static boolean dataType(int qtype) {
    return (qtype >= 1 && qtype < 128 && qtype != EdnsQuery.OPT)
        || (qtype >= 256 && qtype <= 65534);
  }
}
