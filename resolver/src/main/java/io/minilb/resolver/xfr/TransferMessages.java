package io.minilb.resolver.xfr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Builds the response messages of a transfer: the records split over as many messages as they need
 * (each well under the 65,535 bytes TCP allows), then TSIG-signed as one stream (RFC 8945 section
 * 5.3.1: each MAC covers the previous one) and rendered. Pure functions.
 */
final class TransferMessages {

  /** Bytes of records per message: large enough to be few, small enough for any client. */
  static final int CHUNK = 16 * 1024;

  private static final int UDP_PAYLOAD = 1232;

  private TransferMessages() {}

  /**
   * {@code answers} in as few messages as fit {@code chunk} bytes each; the question in the first.
   */
  static List<Message> split(Message query, List<Record> answers, int chunk) {
    var out = new ArrayList<Message>();
    Message m = response(query, true);
    int size = 0;
    for (Record r : answers) {
      int bytes = r.toWire(Section.ANSWER).length;
      if (size > 0 && size + bytes > chunk) {
        out.add(m);
        m = response(query, false);
        size = 0;
      }
      m.addRecord(r, Section.ANSWER);
      size += bytes;
    }
    out.add(m);
    return out;
  }

  /** An authoritative response header for {@code query}, with its OPT when it had one. */
  static Message response(Message query, boolean withQuestion) {
    Header qh = query.getHeader();
    Message m = new Message(qh.getID());
    Header h = m.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.AA);
    h.setOpcode(qh.getOpcode());
    if (qh.getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    if (withQuestion && query.getQuestion() != null) {
      m.addRecord(query.getQuestion(), Section.QUESTION);
    }
    OPTRecord opt = opt(query, List.of());
    if (opt != null) {
      m.addRecord(opt, Section.ADDITIONAL);
    }
    return m;
  }

  /**
   * A non-authoritative response with {@code rcode}, the question copied; a REFUSED carries the
   * Extended DNS Error 18 Prohibited (RFC 8914) when the query had an OPT.
   */
  static Message error(Message query, int rcode) {
    Message m = response(query, true);
    m.getHeader().unsetFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    if (rcode == Rcode.REFUSED && query.getOPT() != null) {
      m.removeAllRecords(Section.ADDITIONAL);
      m.addRecord(
          opt(query, List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.PROHIBITED))),
          Section.ADDITIONAL);
    }
    return m;
  }

  /** Our OPT for a response to {@code query}, its DO bit echoed (RFC 3225); null without one. */
  private static OPTRecord opt(Message query, List<EDNSOption> options) {
    OPTRecord q = query.getOPT();
    if (q == null) {
      return null;
    }
    return new OPTRecord(UDP_PAYLOAD, 0, 0, q.getFlags() & ExtendedFlags.DO, options);
  }

  /**
   * NOTAUTH with the TSIG error {@code tsigError} (RFC 8945 section 5.2): unsigned, naming the
   * request's key, except BADTIME, which is signed with ours.
   */
  static Message tsigError(Message query, int tsigError, TSIG key) {
    Message m = error(query, Rcode.NOTAUTH);
    TSIGRecord q = query.getTSIG();
    if (tsigError == Rcode.BADTIME && key != null) {
      key.apply(m, tsigError, q);
      return m;
    }
    m.addRecord(
        new TSIGRecord(
            q.getName(),
            DClass.ANY,
            0,
            q.getAlgorithm(),
            Instant.now(),
            q.getFudge(),
            new byte[0],
            query.getHeader().getID(),
            tsigError,
            null),
        Section.ADDITIONAL);
    return m;
  }

  /**
   * Signs {@code messages} as one TSIG stream answering a request signed with {@code queryTsig}
   * (every message signed), then renders them. No key: rendered as they are.
   */
  static List<byte[]> render(List<Message> messages, TSIG key, TSIGRecord queryTsig) {
    var out = new ArrayList<byte[]>(messages.size());
    TSIGRecord previous = queryTsig;
    boolean first = true;
    for (Message m : messages) {
      if (key != null && queryTsig != null) {
        key.apply(m, previous, first);
        previous = m.getTSIG();
        first = false;
      }
      out.add(m.toWire());
    }
    return out;
  }
}
