package io.minilb.resolver;

import io.minilb.cli.Commands;
import io.minilb.cli.HostPort;
import io.minilb.log.LogOptions;
import io.minilb.net.Cidr;
import io.minilb.resolver.dns.Forwarder;
import io.minilb.resolver.xfr.TransferConfig;
import io.minilb.resolver.xfr.TsigKey;
import io.minilb.tls.StreamTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code minilb resolver}: answers DNS from memory, fed by the controller's record stream. */
@Command(
    name = "minilb resolver",
    mixinStandardHelpOptions = true,
    description = "Serve DNS for the minilb zones from the controller's record stream.")
public final class ResolverMain implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ResolverMain.class);

  @Mixin LogOptions logs;

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
      description =
          "DNS event loops; 0 means one per available core, at most 4 (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--tcp-idle-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Close a DNS TCP connection this long after its last query or answer (default: ${DEFAULT-VALUE}).")
  Duration tcpIdleTimeout;

  @Option(
      names = "--tcp-frame-timeout",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "Close a DNS TCP connection whose query has not arrived whole this long after its first byte; trickled bytes do not extend it (default: ${DEFAULT-VALUE}).")
  Duration tcpFrameTimeout;

  @Option(
      names = "--tcp-max-connections",
      defaultValue = "1024",
      description =
          "Concurrent DNS TCP connections, all clients; when full, the connection stalled longest makes room for a new one (default: ${DEFAULT-VALUE}).")
  int tcpMaxConnections;

  @Option(
      names = "--tcp-max-per-client",
      defaultValue = "16",
      description =
          "Concurrent DNS TCP connections per client (an address, or an IPv6 prefix: --tcp-ipv6-prefix); over it, that client's connection stalled longest makes room (default: ${DEFAULT-VALUE}).")
  int tcpMaxPerClient;

  @Option(
      names = "--tcp-ipv4-prefix",
      defaultValue = "32",
      description =
          "Leading bits of an IPv4 address that make one client for --tcp-max-per-client (default: ${DEFAULT-VALUE}).")
  int tcpIpv4Prefix;

  @Option(
      names = "--tcp-ipv6-prefix",
      defaultValue = "64",
      description =
          "Leading bits of an IPv6 address that make one client for --tcp-max-per-client (default: ${DEFAULT-VALUE}).")
  int tcpIpv6Prefix;

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
          "Over the rate, send every Nth response truncated (TC=1) so real clients retry over TCP (BADCOOKIE with a fresh cookie to clients that sent a cookie); 0 = drop all (default: ${DEFAULT-VALUE}).")
  int rrlSlip;

  @Option(
      names = "--nsid",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Answer an EDNS NSID request (dig +nsid, RFC 5001) with --node-name; --no-nsid: never (default: ${DEFAULT-VALUE}).")
  boolean nsid;

  @Option(
      names = "--cookies",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Answer DNS cookies (RFC 7873, RFC 9018 server cookies); --no-cookies ignores them (default: ${DEFAULT-VALUE}).")
  boolean cookies;

  @Option(
      names = "--cookie-secret-file",
      description =
          "File of 32-hex-digit cookie secrets, one per line, shared by resolvers behind one address; the first makes cookies, all are accepted (default: a random secret per process, replaced daily).")
  Path cookieSecretFile;

  @Option(
      names = "--max-answers",
      defaultValue = "32",
      description =
          "Most addresses (records) in one answer, a window rotating over all ready endpoints; fewer when the transport cannot hold them (default: ${DEFAULT-VALUE}).")
  int maxAnswers;

  @Option(
      names = "--allow-transfer",
      split = ",",
      description =
          "CIDRs whose clients may AXFR/IXFR the zones over TCP (repeatable); default: no zone transfer.")
  List<String> allowTransfer;

  @Option(
      names = "--notify",
      split = ",",
      description =
          "Secondary host:port sent a NOTIFY when a zone's serial changes (repeatable; needs --allow-transfer).")
  List<String> notify;

  @Option(
      names = "--tsig-key",
      description =
          "name:algorithm:secret-file (e.g. minilb-xfr:hmac-sha256:/etc/minilb/xfr.key): transfers must be signed with it; responses and NOTIFYs are signed.")
  String tsigKey;

  public static void main(String[] args) {
    System.exit(Commands.of(new ResolverMain(), System.getenv()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    logs.apply();
    ResolverConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("minilb: " + e.getMessage());
      return 2;
    }
    var done = new CountDownLatch(1);
    Resolver resolver;
    try {
      resolver = Resolver.start(config);
    } catch (IOException e) {
      System.err.println("minilb: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  resolver.close();
                  done.countDown();
                }));
    done.await();
    return 0;
  }

  /** Most DNS event loops {@code --threads 0} starts, however many cores there are. */
  static final int MAX_DEFAULT_THREADS = 4;

  /**
   * The event loops for {@code --threads 0}: one per core, at most {@value #MAX_DEFAULT_THREADS}.
   * Each loop holds its own scratch, key cache and UDP socket; more than four do not serve a
   * cluster's DNS any faster and only cost memory on large nodes. An explicit count is taken as is.
   */
  static int defaultThreads(int cores) {
    return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS));
  }

  /** The flags as a validated configuration; IllegalArgumentException names the bad flag. */
  ResolverConfig config() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0");
    }
    List<Cidr> recursion;
    try {
      recursion =
          allowRecursion == null || allowRecursion.isEmpty()
              ? Forwarder.LOOPBACK_ONLY
              : allowRecursion.stream().map(String::trim).map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--allow-recursion: " + e.getMessage(), e);
    }
    StreamTls tls;
    try {
      tls = new StreamTls(tlsCert, tlsKey, tlsCa, StreamTls.DEFAULT_RELOAD);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS: " + e.getMessage(), e);
    }
    tls.requireReadable();
    List<Cidr> transferTo;
    try {
      transferTo =
          allowTransfer == null
              ? List.of()
              : allowTransfer.stream().map(String::trim).map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--allow-transfer: " + e.getMessage(), e);
    }
    List<InetSocketAddress> notifyTargets;
    try {
      notifyTargets =
          notify == null
              ? List.of()
              : notify.stream().map(String::trim).map(HostPort::parse).toList();
    } catch (RuntimeException e) { // picocli's TypeConversionException from HostPort
      throw new IllegalArgumentException("--notify: " + e.getMessage(), e);
    }
    var transfer =
        new TransferConfig(
            transferTo, notifyTargets, tsigKey == null ? null : TsigKey.parse(tsigKey));
    return ResolverConfig.builder(controllers)
        .listen(listen)
        .httpListen(httpListen)
        .nodeName(nodeName)
        .threads(
            threads == 0 ? defaultThreads(Runtime.getRuntime().availableProcessors()) : threads)
        .tcpIdleTimeout(tcpIdleTimeout)
        .tcpFrameTimeout(tcpFrameTimeout)
        .tcpMaxConnections(tcpMaxConnections)
        .tcpMaxPerClient(tcpMaxPerClient)
        .tcpIpv4Prefix(tcpIpv4Prefix)
        .tcpIpv6Prefix(tcpIpv6Prefix)
        .upstream(upstream)
        .allowRecursion(recursion)
        .snapshotFile(snapshotFile)
        .maxStale(maxStale)
        .tls(tls, tlsServerName)
        .rateLimit(rrlRate, rrlSlip)
        .nsid(nsid)
        .cookies(cookies, cookieSecretFile)
        .maxAnswers(maxAnswers)
        .transfer(transfer)
        .build();
  }
}
