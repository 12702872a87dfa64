package io.minilb.resolver.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayDeque;
import java.util.function.Consumer;

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
  private Consumer<byte[]> later;

  TcpDnsHandler(Responder responder) {
    this.responder = responder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (!waiting.isEmpty() || !ctx.channel().isWritable()) {
      waiting.add(ByteBufUtil.getBytes(frame));
      ctx.channel().config().setAutoRead(false);
      return;
    }
    QueryScratch s = QueryScratch.forThisThread();
    if (s.load(frame)) {
      answer(ctx, s);
    } else {
      answer(ctx, ByteBufUtil.getBytes(frame));
    }
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

  /** A query that fits the thread's scratch: a fast-path answer goes out without a new array. */
  private void answer(ChannelHandlerContext ctx, QueryScratch s) {
    Reply reply = responder.respond(s, false, client(ctx), later(ctx));
    if (reply == Reply.BUILT) {
      ByteBuf out = ctx.alloc().directBuffer(s.responseLength);
      out.writeBytes(s.response, 0, s.responseLength);
      ctx.writeAndFlush(out, ctx.voidPromise());
    } else {
      sent(ctx, reply, s.queryLength);
    }
  }

  private void answer(ChannelHandlerContext ctx, byte[] wire) {
    sent(ctx, responder.respond(wire, false, client(ctx), later(ctx)), wire.length);
  }

  private static void sent(ChannelHandlerContext ctx, Reply reply, int queryLength) {
    if (reply instanceof Reply.Answer a) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(a.wire()), ctx.voidPromise());
    } else if (reply instanceof Reply.Drop && queryLength < Responder.HEADER_LENGTH) {
      ctx.close(); // not DNS: do not keep the connection
    }
  }

  private static java.net.InetAddress client(ChannelHandlerContext ctx) {
    return ((java.net.InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
  }

  /** Where zone transfer messages and forwarded answers go: one per connection. */
  private Consumer<byte[]> later(ChannelHandlerContext ctx) {
    if (later == null) {
      later =
          wire -> {
            if (wire != null) {
              ctx.writeAndFlush(Unpooled.wrappedBuffer(wire), ctx.voidPromise());
            }
          };
    }
    return later;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
