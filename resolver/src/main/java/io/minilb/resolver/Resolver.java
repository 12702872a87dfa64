package io.minilb.resolver;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minilb.ops.OpsServer;
import io.minilb.proto.Messages;
import io.minilb.resolver.dns.Answerer;
import io.minilb.resolver.dns.DnsServer;
import io.minilb.resolver.dns.EdnsPolicy;
import io.minilb.resolver.dns.Forwarder;
import io.minilb.resolver.dns.QueryMetrics;
import io.minilb.resolver.dns.RateLimiter;
import io.minilb.resolver.dns.Responder;
import io.minilb.resolver.dns.ServerCookies;
import io.minilb.resolver.store.Freshness;
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.resolver.store.Store;
import io.minilb.resolver.sync.ControllerStream;
import io.minilb.resolver.xfr.Transfers;
import io.minilb.snapshot.Version;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running resolver, assembled from a {@link ResolverConfig}: the store (loaded from the snapshot
 * file when there is one), the stream client, the DNS listeners with their query metrics, and the
 * ops port. {@code ResolverMain}, the tests and the benchmarks all start resolvers only through
 * {@link #start}. Thread-safe; {@link #close} is idempotent.
 */
public final class Resolver implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Resolver.class);
  private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(3);

  private final ResolverConfig config;
  private final Store store;
  private final SnapshotFile file;
  private final ScheduledExecutorService streamExecutor;
  private final ExecutorService forwarderPool;
  private final ExecutorService fileWriter;
  private final java.util.concurrent.atomic.AtomicReference<io.minilb.resolver.store.ZoneIndex>
      unwritten = new java.util.concurrent.atomic.AtomicReference<>();
  private ControllerStream stream;
  private DnsServer dns;
  private OpsServer ops;
  private Transfers transfers;
  private boolean closed;

  private Resolver(ResolverConfig config) {
    this.config = config;
    this.store = new Store(new Freshness(config.maxStale(), config.clockMillis()));
    this.file = config.snapshotFile() == null ? null : new SnapshotFile(config.snapshotFile());
    this.streamExecutor = daemonScheduler("controller-stream");
    this.forwarderPool =
        Executors.newCachedThreadPool(
            r -> {
              var t = new Thread(r, "forwarder");
              t.setDaemon(true);
              return t;
            });
    this.fileWriter =
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "snapshot-file");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts a resolver: binds DNS and the ops port, then connects to the controllers.
   *
   * @throws IOException when a port cannot be bound or the TLS files cannot be read
   */
  public static Resolver start(ResolverConfig config) throws IOException, InterruptedException {
    var r = new Resolver(config);
    try {
      r.startParts();
      return r;
    } catch (IOException | InterruptedException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private void startParts() throws IOException, InterruptedException {
    var registry = new PrometheusRegistry();
    transfers = Transfers.start(config.transfer(), store, registry); // before the file loads
    if (file != null) {
      loadSnapshotFile();
      store.addListener(this::writeLater);
    }
    ChannelCredentials credentials;
    try {
      credentials = config.tls().channel(streamExecutor);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the stream's TLS files: " + e.getMessage(), e);
    }
    stream =
        new ControllerStream(
            config.controllers(),
            target -> channel(target, credentials, config.tlsServerName()),
            store,
            config.nodeName(),
            streamExecutor);
    JvmMetrics.builder().register(registry);
    ResolverMetrics.register(registry, store, stream);
    Forwarder forwarder =
        config.upstream() == null
            ? null
            : new Forwarder(
                config.upstream(), config.allowRecursion(), FORWARD_TIMEOUT, forwarderPool);
    var responder =
        new Responder(
            store,
            new Answerer(config.nodeName(), config.maxAnswers()),
            forwarder,
            new QueryMetrics(registry),
            new EdnsPolicy(config.nsid() ? config.nodeName() : null, cookies()),
            transfers);
    var limits =
        new DnsServer.Limits(
            config.tcpIdleTimeout(),
            config.tcpFrameTimeout(),
            config.tcpMaxConnections(),
            config.tcpMaxPerClient(),
            config.tcpIpv4Prefix(),
            config.tcpIpv6Prefix(),
            new RateLimiter(config.rrlRate(), config.rrlSlip(), config.clockMillis()));
    try {
      dns = DnsServer.start(config.listen(), responder, limits, config.threads(), registry);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) { // Netty rethrows bind errors, checked ones too, undeclared
      throw io.minilb.cli.HostPort.cannotListen(config.listen(), e);
    }
    ops = OpsServer.start(config.httpListen(), this::ready, registry);
    stream.start();
    log.info(
        "resolver (node {}) serving DNS on {}, ops on {}, controllers {}",
        config.nodeName(),
        dns.address(),
        ops.address(),
        config.controllers());
  }

  private ServerCookies cookies() throws IOException {
    if (!config.cookies()) {
      return null;
    }
    if (config.cookieSecretFile() == null) {
      return ServerCookies.random(config.clockMillis());
    }
    try {
      return ServerCookies.fromFile(config.cookieSecretFile(), config.clockMillis());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private void loadSnapshotFile() {
    file.load()
        .ifPresent(
            loaded -> {
              store.replace(loaded.index());
              store.freshness().staleSince(loaded.currentAtMillis());
              log.info(
                  "loaded snapshot {} from {} ({} rrsets, current as of {})",
                  loaded.index().version(),
                  file.path(),
                  loaded.index().rrsetCount(),
                  Instant.ofEpochMilli(loaded.currentAtMillis()));
            });
  }

  /**
   * Writes the file off the stream thread, coalescing: a write always takes the newest index, so a
   * burst of deltas costs one write, not one whole-file write per delta.
   */
  private void writeLater(io.minilb.resolver.store.ZoneIndex index) {
    if (unwritten.getAndSet(index) == null) {
      fileWriter.execute(
          () -> {
            var latest = unwritten.getAndSet(null);
            if (latest != null) {
              file.write(latest);
            }
          });
    }
  }

  /** Ready: holding data that is not past {@code --max-stale}. */
  public boolean ready() {
    return store.index() != null && !store.freshness().expired();
  }

  public InetSocketAddress dnsAddress() {
    return dns.address();
  }

  public InetSocketAddress httpAddress() {
    return ops.address();
  }

  /** The version of the held data; empty before the first snapshot. */
  public Optional<Version> version() {
    return store.version();
  }

  public ControllerStream.State streamState() {
    return stream.state();
  }

  /**
   * Stops answering and disconnects. When synced at that moment, the snapshot file is marked
   * current (its data was confirmed until now), so a restart knows how old its data really is.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean synced = stream != null && stream.state() == ControllerStream.State.SYNCED;
    if (stream != null) {
      stream.close();
    }
    fileWriter.shutdown();
    try {
      if (!fileWriter.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("snapshot file {} still being written at shutdown", file.path());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (file != null && synced) {
      file.touch();
    }
    if (dns != null) {
      dns.close();
    }
    if (ops != null) {
      ops.close();
    }
    if (transfers != null) {
      transfers.close();
    }
    streamExecutor.shutdownNow();
    forwarderPool.shutdownNow();
  }

  /** The stream's HTTP/2 flow-control window: a 10k-Service snapshot in one go. */
  static final int FLOW_CONTROL_WINDOW = 8 << 20;

  /** One channel per controller, with keepalives so a dead peer is noticed within seconds. */
  static ManagedChannel channel(String target, ChannelCredentials credentials, String serverName) {
    var b = NettyChannelBuilder.forTarget(target, credentials);
    if (serverName != null && !serverName.isBlank()) {
      b.overrideAuthority(serverName);
    }
    // round_robin: when a name lists every controller replica, each new stream tries the next
    // address, so a follower's refusal leads to the leader on a later attempt.
    return b.defaultLoadBalancingPolicy("round_robin")
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(Messages.MAX_RESPONSE_BYTES)
        // A full snapshot is one message (about 3 MiB at 10k Services): from gRPC's default 1 MiB
        // window the controller waits for window updates until auto-tuning has grown it over a few
        // round trips. Starting at 8 MiB keeps auto-tuning on. A larger window is credit, not a
        // buffer: the message is held whole before it is indexed either way.
        .initialFlowControlWindow(FLOW_CONTROL_WINDOW)
        .build();
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          var t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
