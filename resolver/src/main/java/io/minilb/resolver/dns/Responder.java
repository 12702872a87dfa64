package io.minilb.resolver.dns;

import io.minilb.resolver.store.Freshness;
import io.minilb.resolver.store.Store;
import io.minilb.resolver.store.ZoneIndex;
import io.minilb.resolver.xfr.Transfers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.function.Consumer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The wire edge of the {@link Answerer}: query bytes in, response bytes out. Malformed input whose
 * header is readable gets FORMERR (with an OPT and the question when those are readable); anything
 * shorter is dropped. Any unexpected failure becomes SERVFAIL, never an exception for the
 * transport. Queries outside the zones go to the {@link Forwarder} when one is configured and the
 * client may recurse; zone transfers (and signed queries) go to {@link Transfers} when it is on.
 * Each query reads the store once, so the fast path, the general path and the forwarding decision
 * all see the same index.
 */
public final class Responder {

  static final int HEADER_LENGTH = 12;
  static final int MAX_TCP_MESSAGE = 65535;
  private static final int QR_BIT = 0x8000;
  private static final int RD_BIT = 0x0100;

  private final Store store;
  private final Answerer answerer;
  private final Forwarder forwarder;
  private final QueryMetrics metrics;
  private final EdnsPolicy edns;
  private final Transfers transfers;

  /**
   * @param forwarder null: queries outside the zones are refused
   */
  public Responder(Store store, Answerer answerer, Forwarder forwarder, QueryMetrics metrics) {
    this(store, answerer, forwarder, metrics, EdnsPolicy.NONE, null);
  }

  /**
   * @param forwarder null: queries outside the zones are refused
   * @param edns NSID and cookies
   * @param transfers null: zone transfer is off (the {@link Answerer} refuses AXFR and IXFR)
   */
  public Responder(
      Store store,
      Answerer answerer,
      Forwarder forwarder,
      QueryMetrics metrics,
      EdnsPolicy edns,
      Transfers transfers) {
    this.store = store;
    this.answerer = answerer;
    this.forwarder = forwarder;
    this.metrics = metrics;
    this.edns = edns;
    this.transfers = transfers;
  }

  /**
   * Answers {@code wire}. A {@link Reply.Forwarded} reply means {@code later} receives the response
   * (SERVFAIL when the upstream fails or times out), and is counted in the metrics then; a {@link
   * Reply.Sent} reply means the response messages went, or will go, through {@code later}.
   *
   * @param client the sender (its server cookie is bound to it); null when unknown
   */
  Reply respond(byte[] wire, boolean udp, InetAddress client, Consumer<byte[]> later) {
    var s = QueryScratch.forThisThread();
    if (!s.load(wire)) {
      // longer than any query the fast path takes
      return general(
          wire, udp, client, later, store.index(), age(store.freshness()), System.nanoTime());
    }
    Reply reply = respond(s, udp, client, later);
    return reply == Reply.BUILT
        ? new Reply.Answer(Arrays.copyOf(s.response, s.responseLength), s.cookie)
        : reply;
  }

  /**
   * Answers the query in {@code s} as {@link #respond(byte[], boolean, InetAddress, Consumer)}
   * does, except that a fast-path answer is built in {@code s} (the reply is then {@link
   * Reply#BUILT}, with {@code s.responseLength} and {@code s.cookie} set) instead of in a new
   * array.
   */
  Reply respond(QueryScratch s, boolean udp, InetAddress client, Consumer<byte[]> later) {
    long start = System.nanoTime();
    if (s.queryLength < HEADER_LENGTH) {
      metrics.dropped();
      return Reply.DROP;
    }
    ZoneIndex idx = store.index();
    Answerer.DataAge age = age(store.freshness());
    if (idx != null
        && age != Answerer.DataAge.EXPIRED
        && FastPath.answer(
            s, udp, idx, answerer.maxAnswers(), edns, client, age == Answerer.DataAge.STALE)) {
      metrics.query(s.qtype, s.rcode, System.nanoTime() - start);
      return Reply.BUILT;
    }
    return general(s.queryCopy(), udp, client, later, idx, age, start);
  }

  /** The general path alone (the reference the fast path is compared with in tests). */
  Reply general(byte[] wire, boolean udp, InetAddress client) {
    if (wire.length < HEADER_LENGTH) {
      return Reply.DROP;
    }
    return general(
        wire, udp, client, later -> {}, store.index(), age(store.freshness()), System.nanoTime());
  }

  private Reply general(
      byte[] wire,
      boolean udp,
      InetAddress client,
      Consumer<byte[]> later,
      ZoneIndex idx,
      Answerer.DataAge age,
      long start) {
    if ((wire[2] & 0x80) != 0) {
      metrics.dropped();
      return Reply.DROP; // a response, not a query: never answer it (reflection loops)
    }
    EdnsQuery opt = EdnsQuery.scan(wire);
    Message query;
    boolean malformed = false;
    try {
      query = new Message(wire);
    } catch (Exception e) {
      metrics.formerr();
      if (opt == null) {
        return answerOrDrop(errorFromHeader(wire, Rcode.FORMERR));
      }
      // The OPT is readable: FORMERR with an OPT (RFC 6891 section 7) and the question if any.
      query = headerAndQuestion(wire, opt.questionEnd());
      opt = opt.asMalformed();
      malformed = true;
    }
    int limit = udp ? udpLimit(opt) : MAX_TCP_MESSAGE;
    try {
      // A bad OPT (a second one, version > 0) is answered as such first: FORMERR or BADVERS.
      if (transfers != null
          && !malformed
          && (opt == null || opt.usable())
          && transfers.claims(query)) {
        boolean expired = age == Answerer.DataAge.EXPIRED;
        int rcode =
            transfers.respond(
                query,
                wire,
                udp,
                limit,
                client,
                expired,
                q -> answerer.answer(q, idx, expired),
                later);
        metrics.query(query.getQuestion().getType(), rcode, System.nanoTime() - start);
        return Reply.SENT;
      }
      if (forwarder != null
          && client != null
          && !malformed
          && (opt == null || opt.usable())
          && Answerer.outsideZones(query, idx)
          && forwarder.allows(client)) {
        int qtype = query.getQuestion().getType();
        forwarder
            .forward(query, !udp)
            .whenComplete(
                (r, err) -> {
                  int rcode = r != null ? r.getRcode() : Rcode.SERVFAIL;
                  metrics.query(qtype, rcode, System.nanoTime() - start);
                  later.accept(r != null ? r.toWire(limit) : errorFromHeader(wire, Rcode.SERVFAIL));
                });
        return Reply.FORWARDED;
      }
      EdnsReply reply = opt != null && opt.usable() ? edns.reply(opt, client) : null;
      Message response = answerer.answer(query, opt, reply, idx, age);
      byte[] out = Answerer.fit(response, limit);
      if (!malformed) {
        Record q = query.getQuestion();
        metrics.query(q == null ? -1 : q.getType(), response.getRcode(), System.nanoTime() - start);
      }
      return new Reply.Answer(out, reply == null ? Reply.Cookie.NONE : reply.cookieState());
    } catch (RuntimeException e) {
      metrics.query(-1, Rcode.SERVFAIL, System.nanoTime() - start);
      return answerOrDrop(errorFromHeader(wire, Rcode.SERVFAIL));
    }
  }

  private static Answerer.DataAge age(Freshness freshness) {
    if (freshness.expired()) {
      return Answerer.DataAge.EXPIRED;
    }
    return freshness.ageMillis() == 0 ? Answerer.DataAge.CURRENT : Answerer.DataAge.STALE;
  }

  /** The largest UDP response for a query with this OPT (none: 512 bytes). */
  private static int udpLimit(EdnsQuery opt) {
    return opt == null ? Answerer.CLASSIC_UDP_PAYLOAD : Answerer.udpLimit(opt.udpSize());
  }

  /**
   * The query cut down to its header and question, for a FORMERR that repeats the question; just
   * the header when even the question does not parse.
   */
  private static Message headerAndQuestion(byte[] wire, int questionEnd) {
    byte[] cut = Arrays.copyOf(wire, questionEnd);
    Arrays.fill(cut, 6, HEADER_LENGTH, (byte) 0);
    try {
      return new Message(cut);
    } catch (Exception e) {
      byte[] header = Arrays.copyOf(cut, HEADER_LENGTH);
      header[4] = 0;
      header[5] = 0;
      try {
        return new Message(header);
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);
      }
    }
  }

  private static Reply answerOrDrop(byte[] wire) {
    return wire == null ? Reply.DROP : new Reply.Answer(wire);
  }

  private static byte[] errorFromHeader(byte[] wire, int rcode) {
    int flags = ((wire[2] & 0xFF) << 8) | (wire[3] & 0xFF);
    if ((flags & QR_BIT) != 0) {
      return null;
    }
    var header = new Header(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF));
    header.setFlag(Flags.QR);
    header.setOpcode((flags >> 11) & 0xF);
    if ((flags & RD_BIT) != 0) {
      header.setFlag(Flags.RD);
    }
    header.setRcode(rcode);
    var response = new Message();
    response.setHeader(header);
    return response.toWire();
  }
}
