package io.minilb.resolver.dns;

import io.minilb.resolver.store.Store;
import io.minilb.resolver.store.ZoneIndex;
import io.minilb.resolver.xfr.Transfers;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The wire edge of the {@link Answerer}: query bytes in, response bytes out. Malformed input whose
 * header is readable gets FORMERR; anything shorter is dropped. Any unexpected failure becomes
 * SERVFAIL, never an exception for the transport. Queries outside the zones go to the {@link
 * Forwarder} when one is configured and the client may recurse; zone transfers (and signed queries)
 * go to {@link Transfers} when it is on. Each query reads the store once, so the fast path, the
 * general path and the forwarding decision all see the same index.
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
  private final Transfers transfers;

  /**
   * @param forwarder null: queries outside the zones are refused
   */
  public Responder(Store store, Answerer answerer, Forwarder forwarder, QueryMetrics metrics) {
    this(store, answerer, forwarder, metrics, null);
  }

  /**
   * @param transfers null: zone transfer is off (the {@link Answerer} refuses AXFR and IXFR)
   */
  public Responder(
      Store store,
      Answerer answerer,
      Forwarder forwarder,
      QueryMetrics metrics,
      Transfers transfers) {
    this.store = store;
    this.answerer = answerer;
    this.forwarder = forwarder;
    this.metrics = metrics;
    this.transfers = transfers;
  }

  /**
   * Answers {@code wire}. A {@link Reply.Forwarded} reply means {@code later} receives the response
   * (SERVFAIL when the upstream fails or times out), and is counted in the metrics then; a {@link
   * Reply.Sent} reply means the response messages went, or will go, through {@code later}.
   */
  Reply respond(byte[] wire, boolean udp, InetAddress client, Consumer<byte[]> later) {
    long start = System.nanoTime();
    if (wire.length < HEADER_LENGTH) {
      metrics.dropped();
      return Reply.DROP;
    }
    ZoneIndex idx = store.index();
    boolean expired = store.freshness().expired();
    if (idx != null && !expired) {
      byte[] quick = FastPath.answer(wire, udp, idx);
      if (quick != null) {
        metrics.query(qtypeOf(wire), 0, System.nanoTime() - start);
        return new Reply.Answer(quick);
      }
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (Exception malformed) {
      metrics.formerr();
      return answerOrDrop(errorFromHeader(wire, Rcode.FORMERR));
    }
    if (query.getHeader().getFlag(Flags.QR)) {
      metrics.dropped();
      return Reply.DROP; // a response, not a query: never answer it (reflection loops)
    }
    try {
      if (transfers != null && transfers.claims(query)) {
        int limit = udp ? Answerer.udpLimit(query) : MAX_TCP_MESSAGE;
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
          && Answerer.outsideZones(query, idx)
          && forwarder.allows(client)) {
        int limit = udp ? Answerer.udpLimit(query) : MAX_TCP_MESSAGE;
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
      Message response = answerer.answer(query, idx, expired);
      byte[] out = response.toWire(udp ? Answerer.udpLimit(query) : MAX_TCP_MESSAGE);
      Record q = query.getQuestion();
      metrics.query(q == null ? -1 : q.getType(), response.getRcode(), System.nanoTime() - start);
      return new Reply.Answer(out);
    } catch (RuntimeException e) {
      metrics.query(-1, Rcode.SERVFAIL, System.nanoTime() - start);
      return answerOrDrop(errorFromHeader(wire, Rcode.SERVFAIL));
    }
  }

  private static Reply answerOrDrop(byte[] wire) {
    return wire == null ? Reply.DROP : new Reply.Answer(wire);
  }

  /** QTYPE of a query whose question FastPath accepted (uncompressed name from offset 12). */
  private static int qtypeOf(byte[] q) {
    int p = 12;
    while (q[p] != 0) {
      p += (q[p] & 0xFF) + 1;
    }
    return ((q[p + 1] & 0xFF) << 8) | (q[p + 2] & 0xFF);
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
