package io.minilb.resolver.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** One datagram in, at most one datagram out. Stateless, so one instance serves every socket. */
@Sharable
final class UdpDnsHandler extends SimpleChannelInboundHandler<DatagramPacket> {

  private final Responder responder;
  private final RateLimiter limiter;

  UdpDnsHandler(Responder responder, RateLimiter limiter) {
    this.responder = responder;
    this.limiter = limiter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    var sender = packet.sender();
    Reply reply =
        responder.respond(
            ByteBufUtil.getBytes(packet.content()),
            true,
            sender.getAddress(),
            later -> {
              send(ctx, later, sender);
              ctx.flush();
            });
    if (reply instanceof Reply.Answer a) {
      send(ctx, a.wire(), sender);
    }
  }

  /** One flush per batch of reads: with epoll, the queued responses leave in one sendmmsg. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  private void send(ChannelHandlerContext ctx, byte[] response, java.net.InetSocketAddress to) {
    if (response != null && limiter.enabled()) {
      switch (limiter.check(to.getAddress())) {
        case DROP -> response = null;
        case SLIP -> response = truncated(response);
        case SEND -> {}
      }
    }
    if (response != null) {
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(response), to), ctx.voidPromise());
    }
  }

  /** Header and question only, with TC=1: "ask me again over TCP" (RRL slip). */
  static byte[] truncated(byte[] response) {
    int end = 12;
    if (((response[4] & 0xFF) << 8 | (response[5] & 0xFF)) == 1) {
      // The question's name comes first, so it is never compressed: labels up to the root.
      while (end < response.length && response[end] != 0) {
        end += (response[end] & 0xFF) + 1;
      }
      end += 1 + 4; // root label, QTYPE, QCLASS
    }
    byte[] out = java.util.Arrays.copyOf(response, Math.min(end, response.length));
    out[2] |= 0x02; // TC
    java.util.Arrays.fill(out, 6, 12, (byte) 0); // no answer, authority or additional records
    if (end > response.length) {
      java.util.Arrays.fill(out, 4, 6, (byte) 0);
    }
    return out;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed send (e.g. ICMP unreachable surfaced as an error) must not close the shared socket.
  }
}
