package io.minilb.resolver.dns;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Caps concurrent TCP connections overall and per client, where a client is an IPv4 address and an
 * IPv6 /64 by default (one host can hold a whole /64; the widths are settings). A newcomer is
 * always admitted: when it would exceed a cap, the connection that has gone longest without
 * progress (see {@link TcpDeadlines#stalledSince()}) makes room, within the newcomer's own client
 * when that cap is the one reached, else across all clients. So connections that hold a slot
 * without completing frames are the ones that go, and a client that connects and asks promptly is
 * served even while every slot is taken (RFC 7766 section 6.2.3 lets a server under attack drop
 * idle connections at once).
 *
 * <p>Shared by all connections and thread-safe: admission and release are synchronized, and the
 * scan for the longest-stalled connection runs only when a cap is reached (at most the total cap).
 */
@Sharable
final class TcpConnectionGuard extends ChannelInboundHandlerAdapter {

  private record Slot(Channel channel, InetAddress client, TcpDeadlines deadlines) {}

  private final int maxTotal;
  private final int maxPerClient;
  private final int ipv4Prefix;
  private final int ipv6Prefix;
  private final TcpMetrics metrics;
  private final Map<Channel, Slot> open = new HashMap<>(); // guarded by this
  private final Map<InetAddress, List<Slot>> perClient = new HashMap<>(); // guarded by this

  TcpConnectionGuard(
      int maxTotal, int maxPerClient, int ipv4Prefix, int ipv6Prefix, TcpMetrics metrics) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
    this.ipv4Prefix = ipv4Prefix;
    this.ipv6Prefix = ipv6Prefix;
    this.metrics = metrics;
  }

  synchronized int open() {
    return open.size();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    var remote = (InetSocketAddress) ctx.channel().remoteAddress();
    var mine =
        new Slot(
            ctx.channel(),
            client(remote.getAddress(), ipv4Prefix, ipv6Prefix),
            ctx.pipeline().get(TcpDeadlines.class));
    Slot victim;
    boolean sameClient;
    synchronized (this) {
      List<Slot> siblings = perClient.getOrDefault(mine.client(), List.of());
      sameClient = siblings.size() >= maxPerClient;
      victim =
          sameClient
              ? longestStalled(siblings)
              : open.size() >= maxTotal ? longestStalled(open.values()) : null;
      if (victim != null) {
        release(victim); // its slot is free now, so concurrent newcomers cannot count it twice
      }
      open.put(mine.channel(), mine);
      perClient.computeIfAbsent(mine.client(), c -> new ArrayList<>(2)).add(mine);
    }
    ctx.channel().closeFuture().addListener(f -> releaseOnClose(mine));
    if (victim != null) {
      if (sameClient) {
        metrics.clientCap();
      } else {
        metrics.tableFull();
      }
      victim.channel().close();
    }
    super.channelActive(ctx);
  }

  private synchronized void releaseOnClose(Slot slot) {
    release(slot);
  }

  private void release(Slot slot) {
    if (open.remove(slot.channel()) == null) {
      return;
    }
    List<Slot> siblings = perClient.get(slot.client());
    siblings.remove(slot);
    if (siblings.isEmpty()) {
      perClient.remove(slot.client());
    }
  }

  private static Slot longestStalled(Collection<Slot> slots) {
    Slot oldest = null;
    long since = 0;
    for (Slot s : slots) {
      long t = s.deadlines().stalledSince();
      if (oldest == null || t - since < 0) {
        oldest = s;
        since = t;
      }
    }
    return oldest;
  }

  /**
   * The client an address counts against: the address with all but the first {@code ipv4Prefix}
   * (IPv4) or {@code ipv6Prefix} (IPv6) bits cleared.
   */
  static InetAddress client(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
    byte[] b = address.getAddress();
    int keep = b.length == 4 ? ipv4Prefix : ipv6Prefix;
    if (keep >= b.length * 8) {
      return address;
    }
    for (int i = 0; i < b.length; i++) {
      int bits = Math.max(0, Math.min(8, keep - i * 8));
      b[i] &= (byte) (0xFF00 >> bits);
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes cannot be wrong", e);
    }
  }
}
