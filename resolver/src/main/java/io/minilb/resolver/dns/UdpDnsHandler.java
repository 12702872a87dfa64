package io.minilb.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.function.Consumer;

/** One datagram in, at most one datagram out. Stateless, so one instance serves every socket. */
@Sharable
final class UdpDnsHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private static final int BADCOOKIE = 23;

  private final Responder responder;
  private final RateLimiter limiter;

  UdpDnsHandler(Responder responder, RateLimiter limiter) {
    this.responder = responder;
    this.limiter = limiter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    var sender = packet.sender();
    QueryScratch s = QueryScratch.forThisThread();
    Reply reply =
        s.load(packet.content())
            ? responder.respond(s, true, sender.getAddress(), later(ctx, sender))
            : responder.respond(
                ByteBufUtil.getBytes(packet.content()),
                true,
                sender.getAddress(),
                later(ctx, sender)); // larger than our datagrams: only NIO could read one
    if (reply == Reply.BUILT) {
      if (s.cookie == Reply.Cookie.VALID || !limiter.enabled()) {
        // a proven source address is never rate-limited
        ByteBuf out = ctx.alloc().directBuffer(s.responseLength);
        out.writeBytes(s.response, 0, s.responseLength);
        ctx.write(new DatagramPacket(out, sender), ctx.voidPromise());
      } else {
        byte[] wire = java.util.Arrays.copyOf(s.response, s.responseLength);
        send(ctx, wire, sender, s.cookie == Reply.Cookie.UNPROVEN);
      }
    } else if (reply instanceof Reply.Answer a) {
      if (a.cookie() == Reply.Cookie.VALID) {
        write(ctx, a.wire(), sender); // a proven source address is never rate-limited
      } else {
        send(ctx, a.wire(), sender, a.cookie() == Reply.Cookie.UNPROVEN);
      }
    }
  }

  /** Where a forwarded answer goes; only the general path's forwarding ever calls it. */
  private Consumer<byte[]> later(ChannelHandlerContext ctx, java.net.InetSocketAddress sender) {
    return later -> {
      send(ctx, later, sender, false);
      ctx.flush();
    };
  }

  /** One flush per batch of reads: with epoll, the queued responses leave in one sendmmsg. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  /**
   * Sends {@code response} within the rate limit. Over it, a client that sent a cookie gets its
   * slip as BADCOOKIE with a fresh server cookie (RFC 7873 section 5.2.3), so it can retry at once
   * with a cookie that exempts it; other clients get TC=1.
   */
  private void send(
      ChannelHandlerContext ctx,
      byte[] response,
      java.net.InetSocketAddress to,
      boolean cookieUnproven) {
    if (response != null && limiter.enabled()) {
      switch (limiter.check(to.getAddress())) {
        case DROP -> response = null;
        case SLIP -> response = cookieUnproven ? badCookie(response) : truncated(response);
        case SEND -> {}
      }
    }
    write(ctx, response, to);
  }

  private static void write(
      ChannelHandlerContext ctx, byte[] response, java.net.InetSocketAddress to) {
    if (response != null) {
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(response), to), ctx.voidPromise());
    }
  }

  /**
   * Header, question and our OPT (always the last record, carrying the fresh cookie), with RCODE
   * BADCOOKIE (23: 7 in the header, 1 in the OPT) and no other records.
   */
  static byte[] badCookie(byte[] response) {
    int questionEnd = questionEnd(response);
    int p = optAt(response, questionEnd);
    if (p < 0) {
      return truncated(response);
    }
    byte[] out = new byte[questionEnd + response.length - p];
    System.arraycopy(response, 0, out, 0, questionEnd);
    System.arraycopy(response, p, out, questionEnd, response.length - p);
    out[2] &= (byte) ~0x04; // no AA
    out[3] = (byte) ((out[3] & 0xF0) | (BADCOOKIE & 0xF));
    java.util.Arrays.fill(out, 6, 10, (byte) 0);
    out[10] = 0;
    out[11] = 1;
    out[questionEnd + 5] = (byte) (BADCOOKIE >>> 4);
    return out;
  }

  /** Where the question section of {@code response} ends, or -1 when it cannot be read. */
  private static int questionEnd(byte[] response) {
    int p = Responder.HEADER_LENGTH;
    for (int i = EdnsQuery.u16(response, 4); i > 0 && p > 0; i--) {
      p = EdnsQuery.skipName(response, p);
      p = p < 0 ? -1 : p + 4;
    }
    return p;
  }

  /** Where our OPT starts (it is always the last record), or -1 when the response has none. */
  private static int optAt(byte[] response, int questionEnd) {
    int p = questionEnd;
    int records =
        EdnsQuery.u16(response, 6) + EdnsQuery.u16(response, 8) + EdnsQuery.u16(response, 10);
    for (int i = 0; i < records - 1 && p > 0; i++) {
      p = EdnsQuery.skipRecord(response, p);
    }
    boolean opt =
        p > 0
            && EdnsQuery.u16(response, 10) > 0
            && p + 11 <= response.length
            && response[p] == 0
            && EdnsQuery.u16(response, p + 1) == EdnsQuery.OPT;
    return opt ? p : -1;
  }

  /**
   * Header, question and our OPT if any (RFC 6891 section 7: a query with an OPT gets one back),
   * with TC=1: "ask me again over TCP" (RRL slip).
   */
  static byte[] truncated(byte[] response) {
    int end = 12;
    if (((response[4] & 0xFF) << 8 | (response[5] & 0xFF)) == 1) {
      // The question's name comes first, so it is never compressed: labels up to the root.
      while (end < response.length && response[end] != 0) {
        end += (response[end] & 0xFF) + 1;
      }
      end += 1 + 4; // root label, QTYPE, QCLASS
    }
    int opt = end == questionEnd(response) ? optAt(response, end) : -1;
    int optLength = opt < 0 ? 0 : response.length - opt;
    byte[] out = java.util.Arrays.copyOf(response, Math.min(end, response.length) + optLength);
    out[2] |= 0x02; // TC
    java.util.Arrays.fill(out, 6, 12, (byte) 0); // no answer, authority or additional records
    if (end > response.length) {
      java.util.Arrays.fill(out, 4, 6, (byte) 0);
    }
    if (opt >= 0) {
      System.arraycopy(response, opt, out, end, optLength);
      out[11] = 1;
    }
    return out;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed send (e.g. ICMP unreachable surfaced as an error) must not close the shared socket.
  }
}
