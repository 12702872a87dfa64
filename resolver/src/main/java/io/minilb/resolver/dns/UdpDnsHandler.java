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

  UdpDnsHandler(Responder responder) {
    this.responder = responder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    var sender = packet.sender();
    byte[] response =
        responder.respond(
            ByteBufUtil.getBytes(packet.content()),
            true,
            sender.getAddress(),
            later -> send(ctx, later, sender));
    send(ctx, response, sender);
  }

  private static void send(
      ChannelHandlerContext ctx, byte[] response, java.net.InetSocketAddress to) {
    if (response != null) {
      ctx.writeAndFlush(
          new DatagramPacket(Unpooled.wrappedBuffer(response), to), ctx.voidPromise());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed send (e.g. ICMP unreachable surfaced as an error) must not close the shared socket.
  }
}
