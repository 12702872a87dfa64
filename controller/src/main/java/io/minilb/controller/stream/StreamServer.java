package io.minilb.controller.stream;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.minilb.tls.StreamTls;
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
 */
public final class StreamServer implements AutoCloseable {

  /** Requests are a node name and a version: a few hundred bytes. */
  static final int MAX_REQUEST_BYTES = 64 << 10;

  private final Server server;

  private StreamServer(Server server) {
    this.server = server;
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
    Server server =
        NettyServerBuilder.forAddress(listen, credentials)
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
      throw io.minilb.cli.HostPort.cannotListen(listen, e);
    }
    return new StreamServer(server);
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
  }
}
