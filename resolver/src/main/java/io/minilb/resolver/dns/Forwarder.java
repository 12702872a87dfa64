package io.minilb.resolver.dns;

import io.minilb.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Optional forwarding of queries outside the served zones to one upstream server, for clients
 * inside the allowed networks only (loopback unless configured), so minilb never becomes an open
 * resolver. The upstream's answer is passed back as it came, with the client's ID; TCP clients are
 * forwarded over TCP. Asynchronous: no event-loop thread ever waits for the upstream.
 */
public final class Forwarder {

  /** Without {@code --allow-recursion}, only this host may recurse. */
  public static final List<Cidr> LOOPBACK_ONLY =
      List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  private final InetSocketAddress upstream;
  private final List<Cidr> allowed;
  private final Duration timeout;
  private final Executor executor;

  public Forwarder(
      InetSocketAddress upstream, List<Cidr> allowed, Duration timeout, Executor executor) {
    this.upstream = upstream;
    this.allowed = List.copyOf(allowed);
    this.timeout = timeout;
    this.executor = executor;
  }

  public boolean allows(InetAddress client) {
    InetAddress c = client;
    if (c instanceof java.net.Inet6Address v6 && isV4Mapped(v6.getAddress())) {
      byte[] b = v6.getAddress();
      c =
          Cidr.literal(
              (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF));
    }
    for (Cidr cidr : allowed) {
      if (cidr.contains(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends {@code query} upstream; completes with the upstream's response (ID restored) or fails.
   */
  public CompletionStage<Message> forward(Message query, boolean tcp) {
    var resolver = new SimpleResolver(upstream);
    resolver.setTCP(tcp);
    resolver.setTimeout(timeout);
    int id = query.getHeader().getID();
    return resolver
        .sendAsync(query, executor)
        .thenApply(
            r -> {
              r.getHeader().setID(id);
              return r;
            });
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
  }
}
