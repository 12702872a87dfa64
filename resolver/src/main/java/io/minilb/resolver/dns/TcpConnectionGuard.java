package io.minilb.resolver.dns;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent TCP connections overall and per client address. A connection over either cap is
 * closed as soon as it is accepted; the listener keeps serving everyone else.
 */
@Sharable
final class TcpConnectionGuard extends ChannelInboundHandlerAdapter {

  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

  TcpConnectionGuard(int maxTotal, int maxPerClient) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  int open() {
    return total.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    int all = total.incrementAndGet();
    int mine = perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
    ctx.channel()
        .closeFuture()
        .addListener(
            f -> {
              total.decrementAndGet();
              perClient.computeIfPresent(client, (c, n) -> n.decrementAndGet() == 0 ? null : n);
            });
    if (all > maxTotal || mine > maxPerClient) {
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }
}
