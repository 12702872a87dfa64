package io.minilb.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Answers each length-framed message on a TCP connection (RFC 7766: several queries per
 * connection). Closes the connection on any framing error, never the server; {@link TcpDeadlines}
 * closes idle and stalled ones.
 */
final class TcpDnsHandler extends SimpleChannelInboundHandler<ByteBuf> {

  private final Responder responder;

  TcpDnsHandler(Responder responder) {
    this.responder = responder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    var client = ((java.net.InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    byte[] wire = ByteBufUtil.getBytes(frame);
    Reply reply =
        responder.respond(
            wire,
            false,
            client,
            later -> {
              if (later != null) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(later), ctx.voidPromise());
              }
            });
    if (reply instanceof Reply.Answer a) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(a.wire()), ctx.voidPromise());
    } else if (reply instanceof Reply.Drop && wire.length < Responder.HEADER_LENGTH) {
      ctx.close(); // not DNS: do not keep the connection
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
