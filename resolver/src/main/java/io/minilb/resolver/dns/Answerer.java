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
 * share; {@link #fit} then keeps it within the transport's size. With EDNS: an OPT on every
 * response (FORMERR and BADVERS included), Extended DNS Errors on errors and stale answers; the OPT
 * itself is rendered by {@link EdnsReply}, shared with the {@link FastPath}.
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
    return opt == null ? CLASSIC_UDP_PAYLOAD : udpLimit(opt.getPayloadSize());
  }

  /** The largest UDP response for a query whose OPT advertises {@code size} octets. */
  static int udpLimit(int size) {
    return Math.max(CLASSIC_UDP_PAYLOAD, Math.min(size, MAX_UDP_PAYLOAD));
  }

  /** How current the data to answer from is. */
  enum DataAge {
    /** Confirmed by a synced stream. */
    CURRENT,
    /** Not confirmed right now (controller away, or loaded from the snapshot file), but usable. */
    STALE,
    /** Unconfirmed for longer than {@code --max-stale}: not answered from. */
    EXPIRED
  }

  /**
   * The response to {@code query}, with the EDNS options a server without NSID or cookies returns.
   *
   * @param idx the data to answer from; null before the first snapshot (SERVFAIL)
   * @param expired whether {@code idx} is past the freshness bound (in-zone queries get SERVFAIL)
   */
  public Message answer(Message query, ZoneIndex idx, boolean expired) {
    EdnsQuery edns = EdnsQuery.scan(query.toWire());
    EdnsReply reply = edns == null || !edns.usable() ? null : EdnsPolicy.NONE.reply(edns, null);
    return answer(query, edns, reply, idx, expired ? DataAge.EXPIRED : DataAge.CURRENT);
  }

  /**
   * The response to {@code query}.
   *
   * @param edns the query's OPT as read from the wire; null without one
   * @param reply what our OPT carries when {@code edns} is usable; else unused
   */
  Message answer(Message query, EdnsQuery edns, EdnsReply reply, ZoneIndex idx, DataAge age) {
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
    if (edns != null && !edns.usable()) {
      // RFC 6891: several OPTs or a malformed one is FORMERR, an unknown version BADVERS; the
      // response still carries an OPT (section 7), without options we could not read.
      int rcode = edns.count() == 1 && edns.version() != 0 ? BADVERS : Rcode.FORMERR;
      rcode(response, rcode & 0xF);
      response.addRecord(EdnsReply.bare(edns).record(rcode, EdnsReply.NO_EDE), Section.ADDITIONAL);
      return response;
    }
    int ede = respond(query, response, reply != null && reply.cookie() != null, idx, age);
    if (reply != null) {
      response.addRecord(reply.record(response.getRcode(), ede), Section.ADDITIONAL);
    }
    return response;
  }

  /** Fills {@code response} and returns the Extended DNS Error it deserves, if any. */
  private int respond(Message query, Message response, boolean cookie, ZoneIndex idx, DataAge age) {
    Header qh = query.getHeader();
    Header h = response.getHeader();
    Record question = query.getQuestion();
    if (qh.getOpcode() != Opcode.QUERY) {
      return rcode(response, Rcode.NOTIMP);
    }
    if (qh.getCount(Section.QUESTION) == 0 && cookie) {
      return EdnsReply.NO_EDE; // RFC 7873 section 5.4: a query for a server cookie only
    }
    if (qh.getCount(Section.QUESTION) != 1
        || qh.getCount(Section.ANSWER) != 0
        || !authorityAllowed(query)) {
      return rcode(response, Rcode.FORMERR);
    }
    if (question.getDClass() == DClass.CH) {
      return chaos(response, question);
    }
    if (question.getDClass() != DClass.IN) {
      return refuse(response, EdnsReply.EDE_NOT_AUTHORITATIVE);
    }
    if (idx == null) {
      rcode(response, Rcode.SERVFAIL);
      return EdnsReply.EDE_NOT_READY;
    }
    Name qname = question.getName();
    ZoneIndex.Zone zone = idx.zoneOf(qname);
    if (zone == null) {
      return refuse(response, EdnsReply.EDE_NOT_AUTHORITATIVE);
    }
    int qtype = question.getType();
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return transfer(query, response, zone);
    }
    if (age == DataAge.EXPIRED) {
      rcode(response, Rcode.SERVFAIL); // rather than answer from data past --max-stale
      return EdnsReply.EDE_NO_REACHABLE_AUTHORITY;
    }
    h.setFlag(Flags.AA);
    answerFromZone(response, idx, zone, qname, qtype);
    return age == DataAge.STALE ? EdnsReply.EDE_STALE_ANSWER : EdnsReply.NO_EDE;
  }

  /**
   * The authority section of a query must be empty, except for the client's SOA in an IXFR (RFC
   * 1995 section 3).
   */
  private static boolean authorityAllowed(Message query) {
    List<Record> authority = query.getSection(Section.AUTHORITY);
    if (authority.isEmpty()) {
      return true;
    }
    Record q = query.getQuestion();
    return q != null
        && q.getType() == Type.IXFR
        && authority.size() == 1
        && authority.get(0).getType() == Type.SOA;
  }

  /**
   * AXFR or IXFR of a served zone: the single place a zone transfer is decided. There is none, so
   * REFUSED with Extended DNS Error Prohibited (RFC 8914).
   */
  private static int transfer(Message query, Message response, ZoneIndex.Zone zone) {
    return refuse(response, EdnsReply.EDE_PROHIBITED);
  }

  private void answerFromZone(
      Message response, ZoneIndex idx, ZoneIndex.Zone zone, Name qname, int qtype) {
    if (qtype == Type.ANY) {
      answerAny(response, idx, zone, qname);
      return;
    }
    Name owner = qname;
    if (!idx.exists(qname)) {
      Name wild = idx.wildcardFor(qname, zone);
      if (wild == null) {
        negative(response, idx, zone, qname);
        return;
      }
      owner = wild;
    }
    RecordSet rrset = idx.find(owner, qtype);
    if (rrset == null) {
      negative(response, idx, zone, owner);
      return;
    }
    // Owned by the question's name: echoes its spelling (0x20) and synthesises wildcard answers.
    List<Record> answers = rrset.window(qname, maxAnswers);
    answers.forEach(r -> response.addRecord(r, Section.ANSWER));
    if (qtype == Type.NS) {
      addAddresses(response, idx, answers.stream().map(r -> ((NSRecord) r).getTarget()).toList());
    } else if (qtype == Type.SRV) {
      addAddresses(response, idx, answers.stream().map(r -> ((SRVRecord) r).getTarget()).toList());
    }
  }

  private static void answerAny(Message response, ZoneIndex idx, ZoneIndex.Zone zone, Name qname) {
    Name owner = idx.exists(qname) ? qname : idx.wildcardFor(qname, zone);
    if (owner == null || !idx.hasRecords(owner)) {
      negative(response, idx, zone, owner == null ? qname : owner);
      return;
    }
    // RFC 8482 section 4.2: one synthesized HINFO instead of every RRset.
    long ttl = zone.negativeSoa().getTTL();
    response.addRecord(new HINFORecord(qname, DClass.IN, ttl, "RFC8482", ""), Section.ANSWER);
  }

  private static void negative(Message response, ZoneIndex idx, ZoneIndex.Zone zone, Name qname) {
    if (!idx.exists(qname) && !qname.equals(zone.apex())) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
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
  private int chaos(Message response, Record question) {
    Name n = question.getName();
    boolean known = n.equals(ID_SERVER) || n.equals(HOSTNAME_BIND);
    if (!known || identity.isEmpty()) {
      return refuse(response, EdnsReply.EDE_NOT_AUTHORITATIVE);
    }
    int t = question.getType();
    if (t == Type.TXT || t == Type.ANY) {
      response.addRecord(new TXTRecord(n, DClass.CH, 0, identity), Section.ANSWER);
    }
    response.getHeader().setFlag(Flags.AA);
    return EdnsReply.NO_EDE;
  }

  private static int refuse(Message response, int ede) {
    rcode(response, Rcode.REFUSED);
    return ede;
  }

  /** Sets an error rcode; no Extended DNS Error. */
  private static int rcode(Message response, int rcode) {
    response.getHeader().setRcode(rcode);
    response.getHeader().unsetFlag(Flags.AA);
    return EdnsReply.NO_EDE;
  }
}
