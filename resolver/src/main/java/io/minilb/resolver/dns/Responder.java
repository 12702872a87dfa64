package io.minilb.resolver.dns;

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
 * Forwarder} when one is configured and the client may recurse.
 */
final class Responder {

  static final int HEADER_LENGTH = 12;
  static final int MAX_TCP_MESSAGE = 65535;
  private static final int QR_BIT = 0x8000;
  private static final int RD_BIT = 0x0100;

  private final Answerer answerer;
  private final Forwarder forwarder;
  private final QueryMetrics metrics;
  private final FastPath fast;

  Responder(Answerer answerer) {
    this(answerer, null, null);
  }

  Responder(Answerer answerer, Forwarder forwarder, QueryMetrics metrics) {
    this.answerer = answerer;
    this.forwarder = forwarder;
    this.metrics = metrics;
    this.fast = answerer.fastPath();
  }

  /** Answers a UDP datagram synchronously from the zones; null means drop it. */
  byte[] udp(byte[] query) {
    return respond(query, true, null, r -> {});
  }

  /** Answers one TCP message synchronously from the zones; null means drop it. */
  byte[] tcp(byte[] query) {
    return respond(query, false, null, r -> {});
  }

  /**
   * Answers {@code wire}. The return value is the response when it is known at once; null means
   * either "drop" or "forwarded", in which case {@code later} receives the response (or nothing if
   * the upstream fails: the client retries).
   */
  byte[] respond(byte[] wire, boolean udp, InetAddress client, Consumer<byte[]> later) {
    long start = System.nanoTime();
    if (wire.length < HEADER_LENGTH) {
      if (metrics != null) {
        metrics.dropped();
      }
      return null;
    }
    byte[] quick = fast.answer(wire, udp);
    if (quick != null) {
      if (metrics != null) {
        metrics.query(qtypeOf(wire), 0, System.nanoTime() - start);
      }
      return quick;
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (Exception malformed) {
      if (metrics != null) {
        metrics.formerr();
      }
      return errorFromHeader(wire, Rcode.FORMERR);
    }
    if (query.getHeader().getFlag(Flags.QR)) {
      if (metrics != null) {
        metrics.dropped();
      }
      return null; // a response, not a query: never answer it (reflection loops)
    }
    try {
      if (forwarder != null
          && client != null
          && answerer.outsideZones(query)
          && forwarder.allows(client)) {
        int limit = udp ? Answerer.udpLimit(query) : MAX_TCP_MESSAGE;
        forwarder
            .forward(query, !udp)
            .whenComplete(
                (r, err) -> {
                  if (r != null) {
                    later.accept(r.toWire(limit));
                  } else {
                    later.accept(errorFromHeader(wire, Rcode.SERVFAIL));
                  }
                });
        return null;
      }
      Message response = answerer.answer(query);
      byte[] out = response.toWire(udp ? Answerer.udpLimit(query) : MAX_TCP_MESSAGE);
      if (metrics != null) {
        Record q = query.getQuestion();
        metrics.query(q == null ? -1 : q.getType(), response.getRcode(), System.nanoTime() - start);
      }
      return out;
    } catch (RuntimeException e) {
      return errorFromHeader(wire, Rcode.SERVFAIL);
    }
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
