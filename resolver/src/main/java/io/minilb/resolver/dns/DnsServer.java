package io.minilb.resolver.dns;

import io.minilb.loop.QuietEventLoopGroup;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the DNS listeners: UDP and TCP on one address and port. On Linux it uses epoll with one
 * SO_REUSEPORT datagram socket per event loop, so each core reads its own queue; elsewhere NIO.
 */
public final class DnsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;
  private static final int MAX_DATAGRAM = 1500;
  private static final int MAX_FRAME = 2 + 65535; // the decoder counts the length field too
  private static final int TCP_QUEUE_LOW = 8 << 10;
  private static final int TCP_QUEUE_HIGH = 32 << 10;
  private static final int TCP_READ_MAX = 16 << 10;
  // The DNS sockets' own small pool of direct buffers (one arena of 64 KiB chunks, caches on the
  // event loops only): a datagram batch read and each response reuse pooled memory instead of a
  // malloc and free per packet, and responses are written straight into direct memory, so the
  // transport does not copy them again. The rest of the process keeps the image's allocator.
  private static final int POOL_PAGE = 8 << 10;
  private static final int POOL_MAX_ORDER = 3; // chunk = page << 3 = 64 KiB

  /**
   * TCP limits (RFC 7766 section 6.2) and UDP response rate limiting.
   *
   * @param idleTimeout close a connection this long after its last frame or response
   * @param frameTimeout close a connection whose frame is not whole this long after its first byte
   * @param ipv4Prefix leading bits of an IPv4 address that make one client for {@code maxPerClient}
   * @param ipv6Prefix the same for IPv6
   */
  public record Limits(
      Duration idleTimeout,
      Duration frameTimeout,
      int maxConnections,
      int maxPerClient,
      int ipv4Prefix,
      int ipv6Prefix,
      RateLimiter rateLimiter) {}

  private final EventLoopGroup group;
  private final List<Channel> channels = new ArrayList<>();
  private final InetSocketAddress bound;

  private DnsServer(EventLoopGroup group, List<Channel> channels, InetSocketAddress bound) {
    this.group = group;
    this.channels.addAll(channels);
    this.bound = bound;
  }

  /**
   * Binds UDP and TCP on {@code listen} and answers with {@code responder}. Port 0 picks a free
   * port, the same for both transports. The TCP connection gauge is registered in {@code registry}.
   */
  public static DnsServer start(
      InetSocketAddress listen,
      Responder responder,
      Limits limits,
      int threads,
      PrometheusRegistry registry)
      throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    // Loops that sleep until a query comes or a TCP deadline is due: idle, they use no CPU.
    EventLoopGroup group = new QuietEventLoopGroup(threads, new DefaultThreadFactory("dns"), io);
    var buffers = new PooledByteBufAllocator(true, 0, 1, POOL_PAGE, POOL_MAX_ORDER, 64, 8, false);
    var channels = new ArrayList<Channel>();
    try {
      var tcpMetrics = new TcpMetrics(registry);
      var tcpGuard =
          new TcpConnectionGuard(
              limits.maxConnections(),
              limits.maxPerClient(),
              limits.ipv4Prefix(),
              limits.ipv6Prefix(),
              tcpMetrics);
      GaugeWithCallback.builder()
          .name("minilb_resolver_tcp_connections")
          .help("Open DNS TCP connections")
          .callback(cb -> cb.call(tcpGuard.open()))
          .register(registry);
      Channel tcp =
          new ServerBootstrap()
              .group(group)
              .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.ALLOCATOR, buffers)
              // Backpressure (see TcpDnsHandler): answers queue in direct memory, so each
              // connection may hold little, and one read brings at most a bounded batch of queries.
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(TCP_QUEUE_LOW, TCP_QUEUE_HIGH))
              .childOption(
                  ChannelOption.RCVBUF_ALLOCATOR,
                  new AdaptiveRecvByteBufAllocator(64, 1024, TCP_READ_MAX))
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new TcpDeadlines(
                                  limits.idleTimeout(), limits.frameTimeout(), tcpMetrics))
                          .addLast(tcpGuard)
                          .addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 2, 0, 2))
                          .addLast(new LengthFieldPrepender(2))
                          .addLast(new TcpDnsHandler(responder));
                    }
                  })
              .bind(listen)
              .sync()
              .channel();
      channels.add(tcp);
      var bound = (InetSocketAddress) tcp.localAddress();
      var udpHandler = new UdpDnsHandler(responder, limits.rateLimiter());
      var udpAddress = new InetSocketAddress(listen.getAddress(), bound.getPort());
      int udpSockets = epoll ? threads : 1;
      for (int i = 0; i < udpSockets; i++) {
        var b =
            new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.ALLOCATOR, buffers)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .handler(udpHandler);
        if (epoll) {
          // recvmmsg: up to 16 datagrams per system call into one buffer
          b.option(EpollChannelOption.SO_REUSEPORT, true)
              .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
              .option(
                  ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 16));
        }
        channels.add(b.bind(udpAddress).sync().channel());
      }
      log.info(
          "DNS listening on {} (udp+tcp, {}, {} loops)", bound, epoll ? "epoll" : "nio", threads);
      return new DnsServer(group, channels, bound);
    } catch (Exception e) { // includes bind errors Netty rethrows unchecked
      channels.forEach(Channel::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return bound;
  }

  @Override
  public void close() {
    channels.forEach(c -> c.close().awaitUninterruptibly());
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
