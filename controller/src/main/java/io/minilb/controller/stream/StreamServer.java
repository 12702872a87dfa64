package io.minilb.controller.stream;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.minilb.loop.QuietEventLoopGroup;
import io.minilb.tls.StreamTls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of the record stream: keepalives both ways (a dead resolver is noticed within
 * seconds), small inbound limits (resolvers only send small requests), connections without a stream
 * closed after a minute, and TLS or mutual TLS when configured, refusing plaintext then.
 *
 * <p>HTTP/2 itself caps a connection at twice {@link StreamLimits#maxStreamsPerConnection()}
 * concurrent calls; the service refuses streams over the cap itself with RESOURCE_EXHAUSTED, which
 * a client sees (HTTP/2's own limit only makes a well-behaved client queue its calls).
 *
 * <p>Accepts and connections run on its own {@link QuietEventLoopGroup} ({@code stream-worker-*}
 * threads, one per core), which sleeps while no resolver sends anything and no keepalive is due;
 * gRPC's shared default loops would wake once a second.
 */
public final class StreamServer implements AutoCloseable {

  /** Requests are a node name and a version: a few hundred bytes. */
  static final int MAX_REQUEST_BYTES = 64 << 10;

  private final Server server;
  private final EventLoopGroup loops;

  private StreamServer(Server server, EventLoopGroup loops) {
    this.server = server;
    this.loops = loops;
  }

  /**
   * Binds {@code listen} and serves {@code service}.
   *
   * @param reloader re-reads the TLS files when they change
   * @throws IOException when the port is taken or the TLS files cannot be loaded
   */
  public static StreamServer start(
      InetSocketAddress listen,
      StreamTls tls,
      BindableService service,
      StreamLimits limits,
      ScheduledExecutorService reloader)
      throws IOException {
    io.grpc.ServerCredentials credentials;
    try {
      credentials = tls.server(reloader);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the stream's TLS files: " + e.getMessage(), e);
    }
    boolean epoll = Epoll.isAvailable();
    var loops =
        new QuietEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("stream-worker", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Server server =
        NettyServerBuilder.forAddress(listen, credentials)
            .bossEventLoopGroup(loops)
            .workerEventLoopGroup(loops)
            .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .addService(service)
            .keepAliveTime(10, TimeUnit.SECONDS)
            .keepAliveTimeout(5, TimeUnit.SECONDS)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .maxConnectionIdle(1, TimeUnit.MINUTES)
            .handshakeTimeout(10, TimeUnit.SECONDS)
            .maxInboundMessageSize(MAX_REQUEST_BYTES)
            .maxInboundMetadataSize(16 << 10)
            .maxConcurrentCallsPerConnection(2 * limits.maxStreamsPerConnection())
            .flowControlWindow(1 << 20)
            .build();
    try {
      server.start();
    } catch (IOException e) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw io.minilb.cli.HostPort.cannotListen(listen, e);
    }
    return new StreamServer(server, loops);
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** Whether the server accepts connections. */
  public boolean serving() {
    return !server.isShutdown();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The loops are this server's own: gRPC leaves groups it was given running.
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
