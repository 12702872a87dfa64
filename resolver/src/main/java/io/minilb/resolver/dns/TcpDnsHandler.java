package io.minilb.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayDeque;

/**
 * Answers each length-framed message on a TCP connection (RFC 7766: several queries per
 * connection). Closes the connection on any framing error, never the server; {@link TcpDeadlines}
 * closes idle and stalled ones.
 *
 * <p>Answers go out no faster than the client reads them. Once the connection's outbound buffer
 * passes its high water mark, the queries already read wait here and the socket is not read again
 * until the buffer drains: a client that pipelines megabytes of queries and reads slowly would
 * otherwise queue their answers without bound, in the direct memory the whole resolver shares.
 */
final class TcpDnsHandler extends SimpleChannelInboundHandler<ByteBuf> {

  private final Responder responder;
  // Queries read while the client was not taking answers: at most what one socket read holds.
  private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

  TcpDnsHandler(Responder responder) {
    this.responder = responder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    byte[] wire = ByteBufUtil.getBytes(frame);
    if (!waiting.isEmpty() || !ctx.channel().isWritable()) {
      waiting.add(wire);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    answer(ctx, wire);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    while (!waiting.isEmpty() && ctx.channel().isWritable() && ctx.channel().isActive()) {
      answer(ctx, waiting.poll());
    }
    if (waiting.isEmpty() && ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
    super.channelWritabilityChanged(ctx);
  }

  private void answer(ChannelHandlerContext ctx, byte[] wire) {
    var client = ((java.net.InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
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
