package io.minilb.resolver.dns;

import io.minilb.resolver.store.RecordSet;
import io.minilb.resolver.store.ZoneIndex;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Turns a parsed query into a response from a {@link ZoneIndex}. A pure function of its arguments
 * (the query, the index, and whether that index is past its freshness bound): no sockets, no clock,
 * no logging, safe to call from any number of threads. The only state it touches is the index's
 * thread-safe rotation counters.
 *
 * <p>Rules: AA on every answer from a served zone, RA never; REFUSED outside the zones; SERVFAIL
 * before the first snapshot (never NXDOMAIN); NODATA for existing names and empty non-terminals
 * (RFC 8020) and NXDOMAIN otherwise, both with the zone's SOA (RFC 2308); the question's case
 * echoed in the answer; RFC 8482 for ANY. An answer RRset holds at most {@code maxAnswers} records,
 * a window that moves round the whole set from one answer to the next, so every record gets its
 * share; {@link #fit} then keeps it within the transport's size.
 */
public final class Answerer {

  /** The UDP payload size we advertise and never exceed (DNS flag day 2020). */
  public static final int MAX_UDP_PAYLOAD = 1232;

  /** Without EDNS a UDP response must fit in 512 bytes (RFC 1035 section 4.2.1). */
  public static final int CLASSIC_UDP_PAYLOAD = 512;

  private static final int BADVERS = 16;

  private static final Name ID_SERVER = Name.fromConstantString("id.server.");
  private static final Name HOSTNAME_BIND = Name.fromConstantString("hostname.bind.");

  /** The default of {@code --max-answers}; docs/DNS.md explains the number. */
  public static final int DEFAULT_MAX_ANSWERS = 32;

  private final String identity;
  private final int maxAnswers;

  /** An answerer with the default {@link #DEFAULT_MAX_ANSWERS}. */
  public Answerer(String identity) {
    this(identity, DEFAULT_MAX_ANSWERS);
  }

  /**
   * @param identity returned for CH TXT {@code id.server} / {@code hostname.bind} (e.g. the node);
   *     empty: those names are refused
   * @param maxAnswers the most records of one RRset an answer carries, at least 1
   */
  public Answerer(String identity, int maxAnswers) {
    if (maxAnswers < 1) {
      throw new IllegalArgumentException("maxAnswers must be >= 1");
    }
    this.identity = identity;
    this.maxAnswers = maxAnswers;
  }

  public int maxAnswers() {
    return maxAnswers;
  }

  /**
   * {@code response} in wire format within {@code limit} bytes. When the answer section does not
   * fit whole, it keeps as many of its leading records as fit and does not set TC: the answer is
   * already a window of its RRset (see {@link Answerer}), and a smaller window is as valid an
   * answer as any. TC is left only when not even one record fits. The additional section is dropped
   * silently when it does not fit (RFC 2181 section 9).
   */
  public static byte[] fit(Message response, int limit) {
    byte[] out = response.toWire(limit);
    List<Record> answers = List.copyOf(response.getSection(Section.ANSWER));
    if ((out[2] & 0x02) == 0 || answers.size() <= 1) {
      return out;
    }
    int lo = 0; // fits (or nothing does)
    int hi = answers.size(); // does not fit
    byte[] best = out;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      response.removeAllRecords(Section.ANSWER);
      answers.subList(0, mid).forEach(r -> response.addRecord(r, Section.ANSWER));
      byte[] attempt = response.toWire(limit);
      if ((attempt[2] & 0x02) == 0) {
        lo = mid;
        best = attempt;
      } else {
        hi = mid;
      }
    }
    return best;
  }

  /**
   * Whether {@code query} is an IN query for a name outside every zone of {@code idx} — the only
   * kind an upstream may be asked about. False before the first snapshot (nothing is known yet).
   */
  public static boolean outsideZones(Message query, ZoneIndex idx) {
    Record q = query.getQuestion();
    return q != null
        && idx != null
        && q.getDClass() == DClass.IN
        && idx.zoneOf(q.getName()) == null;
  }

  /** The largest UDP response this query may receive. */
  public static int udpLimit(Message query) {
    OPTRecord opt = query.getOPT();
    if (opt == null) {
      return CLASSIC_UDP_PAYLOAD;
    }
    return Math.max(CLASSIC_UDP_PAYLOAD, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
  }

  /**
   * The response to {@code query}.
   *
   * @param idx the data to answer from; null before the first snapshot (SERVFAIL)
   * @param expired whether {@code idx} is past the freshness bound (in-zone queries get SERVFAIL)
   */
  public Message answer(Message query, ZoneIndex idx, boolean expired) {
    Header qh = query.getHeader();
    Message response = new Message(qh.getID());
    Header h = response.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(qh.getOpcode());
    if (qh.getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      if (opt.getVersion() != 0) {
        response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, BADVERS >>> 4, 0), Section.ADDITIONAL);
        return response;
      }
      response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    if (qh.getOpcode() != Opcode.QUERY) {
      return rcode(response, Rcode.NOTIMP);
    }
    if (qh.getCount(Section.QUESTION) != 1
        || qh.getCount(Section.ANSWER) != 0
        || qh.getCount(Section.AUTHORITY) != 0) {
      return rcode(response, Rcode.FORMERR);
    }
    if (question.getDClass() == DClass.CH) {
      return chaos(response, question);
    }
    if (question.getDClass() != DClass.IN) {
      return rcode(response, Rcode.REFUSED);
    }
    if (idx == null) {
      return rcode(response, Rcode.SERVFAIL);
    }
    Name qname = question.getName();
    ZoneIndex.Zone zone = idx.zoneOf(qname);
    if (zone == null) {
      return rcode(response, Rcode.REFUSED);
    }
    int qtype = question.getType();
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return rcode(response, Rcode.REFUSED);
    }
    if (expired) {
      return rcode(response, Rcode.SERVFAIL); // rather than answer from data past --max-stale
    }
    h.setFlag(Flags.AA);
    if (qtype == Type.ANY) {
      return answerAny(response, idx, zone, qname);
    }
    Name owner = qname;
    if (!idx.exists(qname)) {
      Name wild = idx.wildcardFor(qname, zone);
      if (wild == null) {
        return negative(response, idx, zone, qname);
      }
      owner = wild;
    }
    RecordSet rrset = idx.find(owner, qtype);
    if (rrset == null) {
      return negative(response, idx, zone, owner);
    }
    // Owned by the question's name: echoes its spelling (0x20) and synthesises wildcard answers.
    List<Record> answers = rrset.window(qname, maxAnswers);
    answers.forEach(r -> response.addRecord(r, Section.ANSWER));
    if (qtype == Type.NS) {
      addAddresses(response, idx, answers.stream().map(r -> ((NSRecord) r).getTarget()).toList());
    } else if (qtype == Type.SRV) {
      addAddresses(response, idx, answers.stream().map(r -> ((SRVRecord) r).getTarget()).toList());
    }
    return response;
  }

  private static Message answerAny(
      Message response, ZoneIndex idx, ZoneIndex.Zone zone, Name qname) {
    if (!idx.hasRecords(qname)) {
      return negative(response, idx, zone, qname);
    }
    // RFC 8482 section 4.2: one synthesized HINFO instead of every RRset.
    long ttl = zone.negativeSoa().getTTL();
    response.addRecord(new HINFORecord(qname, DClass.IN, ttl, "RFC8482", ""), Section.ANSWER);
    return response;
  }

  private static Message negative(
      Message response, ZoneIndex idx, ZoneIndex.Zone zone, Name qname) {
    if (!idx.exists(qname) && !qname.equals(zone.apex())) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
    return response;
  }

  /** Adds the A/AAAA of NS or SRV targets we hold to the additional section. */
  private static void addAddresses(Message response, ZoneIndex idx, List<Name> targets) {
    for (Name target : targets) {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RecordSet glue = idx.find(target, type);
        if (glue != null) {
          glue.records(target).forEach(g -> response.addRecord(g, Section.ADDITIONAL));
        }
      }
    }
  }

  /** CH TXT {@code id.server} and {@code hostname.bind} name this resolver (RFC 4892). */
  private Message chaos(Message response, Record question) {
    Name n = question.getName();
    boolean known = n.equals(ID_SERVER) || n.equals(HOSTNAME_BIND);
    if (!known || identity.isEmpty()) {
      return rcode(response, Rcode.REFUSED);
    }
    int t = question.getType();
    if (t == Type.TXT || t == Type.ANY) {
      response.addRecord(new TXTRecord(n, DClass.CH, 0, identity), Section.ANSWER);
    }
    response.getHeader().setFlag(Flags.AA);
    return response;
  }

  private static Message rcode(Message response, int rcode) {
    response.getHeader().setRcode(rcode);
    response.getHeader().unsetFlag(Flags.AA);
    return response;
  }
}
