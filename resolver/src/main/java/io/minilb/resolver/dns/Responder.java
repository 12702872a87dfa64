package io.minilb.resolver.dns;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The wire edge of the {@link Answerer}: query bytes in, response bytes out. Malformed input whose
 * header is readable gets FORMERR; anything shorter is dropped (null). Any unexpected failure
 * becomes SERVFAIL, never an exception for the transport.
 */
final class Responder {

  static final int HEADER_LENGTH = 12;
  static final int MAX_TCP_MESSAGE = 65535;
  private static final int QR_BIT = 0x8000;
  private static final int RD_BIT = 0x0100;

  private final Answerer answerer;

  Responder(Answerer answerer) {
    this.answerer = answerer;
  }

  /** Answers a UDP datagram; null means drop it. */
  byte[] udp(byte[] query) {
    return respond(query, true);
  }

  /** Answers one TCP message; null means drop it. */
  byte[] tcp(byte[] query) {
    return respond(query, false);
  }

  private byte[] respond(byte[] wire, boolean udp) {
    if (wire.length < HEADER_LENGTH) {
      return null;
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (Exception malformed) {
      return errorFromHeader(wire, Rcode.FORMERR);
    }
    if (query.getHeader().getFlag(Flags.QR)) {
      return null; // a response, not a query: never answer it (reflection loops)
    }
    try {
      Message response = answerer.answer(query);
      return response.toWire(udp ? Answerer.udpLimit(query) : MAX_TCP_MESSAGE);
    } catch (RuntimeException e) {
      return errorFromHeader(wire, Rcode.SERVFAIL);
    }
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
