package io.minilb.resolver.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Response rate limiting for UDP, per client network (/24 for IPv4, /56 for IPv6), in one-second
 * windows. Over the limit, every {@code slip}-th response is sent truncated (TC=1, no records) so a
 * real client retries over TCP, and the rest are dropped; a spoofed victim gets almost nothing.
 * Memory is bounded: the table is replaced every second and capped in size.
 */
public final class RateLimiter {

  /** What to do with one response. */
  public enum Verdict {
    SEND,
    SLIP,
    DROP
  }

  private static final int MAX_NETWORKS = 100_000;

  private final int perSecond;
  private final int slip;
  private final LongSupplier clockMillis;
  private volatile Window window = new Window(-1);

  private record Window(long second, ConcurrentHashMap<Long, AtomicInteger> counts) {
    Window(long second) {
      this(second, new ConcurrentHashMap<>());
    }
  }

  /**
   * @param perSecond responses per second per network; 0 disables limiting
   * @param slip every slip-th limited response is truncated instead of dropped; 0 drops all
   */
  public RateLimiter(int perSecond, int slip, LongSupplier clockMillis) {
    if (perSecond < 0 || slip < 0) {
      throw new IllegalArgumentException("rate and slip must be >= 0");
    }
    this.perSecond = perSecond;
    this.slip = slip;
    this.clockMillis = clockMillis;
  }

  public boolean enabled() {
    return perSecond > 0;
  }

  public Verdict check(InetAddress client) {
    if (perSecond == 0) {
      return Verdict.SEND;
    }
    long second = clockMillis.getAsLong() / 1000;
    Window w = window;
    if (w.second() != second) {
      w = new Window(second);
      window = w;
    }
    if (w.counts().size() >= MAX_NETWORKS && !w.counts().containsKey(network(client))) {
      return Verdict.SEND; // a table this full means a spread-out flood; do not grow without bound
    }
    int n = w.counts().computeIfAbsent(network(client), k -> new AtomicInteger()).incrementAndGet();
    if (n <= perSecond) {
      return Verdict.SEND;
    }
    return slip > 0 && (n - perSecond) % slip == 0 ? Verdict.SLIP : Verdict.DROP;
  }

  /** The client's /24 (IPv4) or /56 (IPv6), as a number. */
  static long network(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return ((b[0] & 0xFFL) << 16) | ((b[1] & 0xFFL) << 8) | (b[2] & 0xFFL);
    }
    long n = 1L << 62; // keep v6 apart from v4
    for (int i = 0; i < 7; i++) {
      n |= (b[i] & 0xFFL) << (8 * (6 - i));
    }
    return n;
  }
}
