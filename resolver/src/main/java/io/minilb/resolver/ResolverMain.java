package io.minilb.resolver;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minilb.cli.Commands;
import io.minilb.cli.HostPort;
import io.minilb.net.Cidr;
import io.minilb.ops.OpsServer;
import io.minilb.resolver.dns.Answerer;
import io.minilb.resolver.dns.DnsServer;
import io.minilb.resolver.dns.Forwarder;
import io.minilb.resolver.dns.RateLimiter;
import io.minilb.resolver.store.Freshness;
import io.minilb.resolver.store.SnapshotFile;
import io.minilb.resolver.store.Store;
import io.minilb.resolver.sync.ControllerStream;
import io.minilb.tls.StreamTls;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minilb resolver}: answers DNS from memory, fed by the controller's record stream. */
@Command(
    name = "minilb resolver",
    mixinStandardHelpOptions = true,
    description = "Serve DNS for the minilb zones from the controller's record stream.")
public final class ResolverMain implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ResolverMain.class);

  @Option(
      names = "--controller",
      required = true,
      split = ",",
      description = "Controller gRPC address host:port; repeat (or comma-separate) for failover.")
  List<String> controllers;

  @Option(
      names = "--listen",
      defaultValue = "0.0.0.0:5353",
      converter = HostPort.class,
      description = "DNS address:port for UDP and TCP (default: ${DEFAULT-VALUE}).")
  InetSocketAddress listen;

  @Option(
      names = "--http-listen",
      defaultValue = "0.0.0.0:8081",
      converter = HostPort.class,
      description = "Address:port for /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}).")
  InetSocketAddress httpListen;

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME:-${env:HOSTNAME:-resolver}}",
      description = "This resolver's identity, sent to the controller (default: $NODE_NAME).")
  String nodeName;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "DNS event loops; 0 means one per available core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--tcp-idle-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Close idle DNS TCP connections after this long (default: ${DEFAULT-VALUE}).")
  Duration tcpIdleTimeout;

  @Option(
      names = "--tcp-max-connections",
      defaultValue = "1024",
      description = "Concurrent DNS TCP connections, all clients (default: ${DEFAULT-VALUE}).")
  int tcpMaxConnections;

  @Option(
      names = "--tcp-max-per-client",
      defaultValue = "16",
      description =
          "Concurrent DNS TCP connections per client address (default: ${DEFAULT-VALUE}).")
  int tcpMaxPerClient;

  @Option(
      names = "--upstream",
      converter = HostPort.class,
      description =
          "Forward queries outside the minilb zones to this host:port (default: refuse them).")
  InetSocketAddress upstream;

  @Option(
      names = "--allow-recursion",
      split = ",",
      description = "CIDRs whose clients may use --upstream (default: loopback only).")
  List<String> allowRecursion;

  @Option(
      names = "--snapshot-file",
      description = "Keep the last snapshot here (atomic writes) and answer from it at start-up.")
  Path snapshotFile;

  @Option(
      names = "--max-stale",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Answer SERVFAIL once data is unconfirmed for longer than this; 0s = never (default).")
  Duration maxStale;

  @Option(
      names = "--tls-ca",
      description =
          "PEM CA that signed the controller's certificate (enables TLS; plaintext is refused).")
  Path tlsCa;

  @Option(names = "--tls-cert", description = "PEM client certificate, for mutual TLS.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key for --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-server-name",
      description =
          "Name to expect in the controller's certificate (default: the --controller host).")
  String tlsServerName;

  @Option(
      names = "--rrl-rate",
      defaultValue = "0",
      description =
          "UDP responses per second per client /24 (IPv4) or /56 (IPv6); 0 = no limit (default).")
  int rrlRate;

  @Option(
      names = "--rrl-slip",
      defaultValue = "2",
      description =
          "Over the rate, send every Nth response truncated (TC=1) so real clients retry over TCP; 0 = drop all (default: ${DEFAULT-VALUE}).")
  int rrlSlip;

  public static void main(String[] args) {
    System.exit(Commands.of(new ResolverMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rrlRate < 0 || rrlSlip < 0) {
      System.err.println("minilb: --rrl-rate and --rrl-slip must be >= 0");
      return 2;
    }
    if (threads < 0 || tcpMaxConnections < 1 || tcpMaxPerClient < 1) {
      System.err.println("minilb: --threads must be >= 0 and the TCP caps >= 1");
      return 2;
    }
    if (tcpIdleTimeout.isZero()) {
      System.err.println("minilb: --tcp-idle-timeout must be positive");
      return 2;
    }
    int loops = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    List<Cidr> recursionAllowed;
    try {
      recursionAllowed =
          allowRecursion == null || allowRecursion.isEmpty()
              ? Forwarder.LOOPBACK_ONLY
              : allowRecursion.stream().map(String::trim).map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      System.err.println("minilb: --allow-recursion: " + e.getMessage());
      return 2;
    }
    var store = new Store(new Freshness(maxStale, System::currentTimeMillis));
    var file = snapshotFile == null ? null : new SnapshotFile(snapshotFile);
    if (file != null) {
      file.load()
          .ifPresent(
              loaded -> {
                store.replace(loaded.snapshot());
                store.freshness().staleSince(loaded.currentAtMillis());
                log.info(
                    "loaded snapshot {} from {} ({} rrsets, current as of {})",
                    loaded.snapshot().version(),
                    file.path(),
                    loaded.snapshot().rrsets().size(),
                    java.time.Instant.ofEpochMilli(loaded.currentAtMillis()));
              });
      store.addListener(file::write);
    }
    var forwarderPool =
        Executors.newCachedThreadPool(
            r -> {
              var t = new Thread(r, "forwarder");
              t.setDaemon(true);
              return t;
            });
    Forwarder forwarder =
        upstream == null
            ? null
            : new Forwarder(upstream, recursionAllowed, Duration.ofSeconds(3), forwarderPool);
    var scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "controller-stream");
              t.setDaemon(true);
              return t;
            });
    StreamTls tls;
    io.grpc.ChannelCredentials credentials;
    try {
      tls = new StreamTls(tlsCert, tlsKey, tlsCa, StreamTls.DEFAULT_RELOAD);
      credentials = tls.channel(scheduler);
    } catch (IllegalArgumentException
        | java.io.IOException
        | java.security.GeneralSecurityException e) {
      System.err.println("minilb: TLS: " + e.getMessage());
      return 2;
    }
    var stream =
        new ControllerStream(
            controllers, t -> channel(t, credentials, tlsServerName), store, nodeName, scheduler);
    var limits =
        new DnsServer.Limits(
            tcpIdleTimeout,
            tcpMaxConnections,
            tcpMaxPerClient,
            new RateLimiter(rrlRate, rrlSlip, System::currentTimeMillis));
    var registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    ResolverMetrics.register(registry, store, stream);
    var done = new CountDownLatch(1);
    DnsServer dns;
    try {
      dns =
          DnsServer.start(
              listen,
              new Answerer(store::index, store.freshness(), nodeName),
              forwarder,
              limits,
              loops);
    } catch (Exception e) {
      System.err.println("minilb: cannot listen for DNS on " + listen + ": " + e.getMessage());
      scheduler.shutdownNow();
      return 1;
    }
    try (dns;
        OpsServer ops =
            OpsServer.start(
                httpListen,
                () -> store.index() != null && !store.freshness().expired(),
                registry)) {
      stream.start();
      log.info(
          "resolver {} serving DNS on {}, ops on {}, controllers {}",
          nodeName,
          dns.address(),
          ops.address(),
          controllers);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    log.info("shutting down");
                    if (file != null && stream.state() == ControllerStream.State.SYNCED) {
                      file.touch();
                    }
                    stream.close();
                    done.countDown();
                  }));
      done.await();
    }
    scheduler.shutdownNow();
    return 0;
  }

  /** One channel per controller, with keepalives so a dead peer is noticed within seconds. */
  public static ManagedChannel channel(String target) {
    return channel(target, io.grpc.InsecureChannelCredentials.create(), null);
  }

  /**
   * A channel with {@code credentials}, expecting {@code serverName} (if set) in the certificate.
   */
  public static ManagedChannel channel(
      String target, io.grpc.ChannelCredentials credentials, String serverName) {
    var b = NettyChannelBuilder.forTarget(target, credentials);
    if (serverName != null && !serverName.isBlank()) {
      b.overrideAuthority(serverName);
    }
    return b.keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(64 << 20)
        .build();
  }
}
