package io.minilb.resolver;

import io.minilb.net.Cidr;
import io.minilb.resolver.dns.Answerer;
import io.minilb.resolver.dns.Forwarder;
import io.minilb.resolver.xfr.TransferConfig;
import io.minilb.tls.StreamTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Every setting of a resolver, validated: an instance is always a runnable configuration. Built by
 * {@code ResolverMain} from flags and variables, and by tests and benchmarks through {@link
 * #builder(List)}, which starts from the flags' defaults except for the listeners (loopback, port
 * 0, so tests never collide) and the event loops (one; the main picks one per core). Invalid values
 * are rejected with an {@link IllegalArgumentException} whose message names the flag. Immutable.
 *
 * @param controllers controller gRPC targets, tried in turn
 * @param threads DNS event loops, at least 1 (the main turns 0 into one per core, at most 4)
 * @param tcpIdleTimeout close a DNS TCP connection this long after its last frame or response
 * @param tcpFrameTimeout close a DNS TCP connection whose frame is not whole this long after its
 *     first byte (bytes trickled in do not extend it)
 * @param tcpIpv4Prefix leading bits of an IPv4 address counted as one client for tcpMaxPerClient
 * @param tcpIpv6Prefix the same for IPv6 (a /64 usually belongs to one host or one LAN)
 * @param upstream where queries outside the zones are forwarded; null refuses them
 * @param snapshotFile where the last snapshot is kept; null keeps none
 * @param maxStale zero: answer from old data forever
 * @param maxAnswers the most records one answer RRset carries (a rotating window), at least 1
 * @param clockMillis wall clock for staleness, rate limiting and cookies (a test hook; production:
 *     the system clock)
 * @param nsid whether an NSID request (RFC 5001) is answered with {@code nodeName}
 * @param cookies whether DNS cookies (RFC 7873) are answered
 * @param cookieSecretFile the shared cookie secrets; null: a random secret per process
 * @param transfer zone transfer and NOTIFY; {@link TransferConfig#OFF} by default
 */
public record ResolverConfig(
    List<String> controllers,
    InetSocketAddress listen,
    InetSocketAddress httpListen,
    String nodeName,
    int threads,
    Duration tcpIdleTimeout,
    Duration tcpFrameTimeout,
    int tcpMaxConnections,
    int tcpMaxPerClient,
    int tcpIpv4Prefix,
    int tcpIpv6Prefix,
    InetSocketAddress upstream,
    List<Cidr> allowRecursion,
    Path snapshotFile,
    Duration maxStale,
    StreamTls tls,
    String tlsServerName,
    int rrlRate,
    int rrlSlip,
    int maxAnswers,
    LongSupplier clockMillis,
    boolean nsid,
    boolean cookies,
    Path cookieSecretFile,
    TransferConfig transfer) {

  public ResolverConfig {
    controllers = List.copyOf(controllers);
    if (controllers.isEmpty()) {
      throw new IllegalArgumentException("--controller needs at least one host:port");
    }
    controllers.forEach(ResolverConfig::checkTarget);
    require(listen != null, "--listen is required");
    require(httpListen != null, "--http-listen is required");
    require(nodeName != null && !nodeName.isBlank(), "--node-name must not be empty");
    require(
        threads >= 1, "--threads must be >= 1 (0 on the command line: one per core, at most 4)");
    require(
        !tcpIdleTimeout.isNegative() && !tcpIdleTimeout.isZero(),
        "--tcp-idle-timeout must be positive");
    require(
        !tcpFrameTimeout.isNegative() && !tcpFrameTimeout.isZero(),
        "--tcp-frame-timeout must be positive");
    require(tcpIpv4Prefix >= 0 && tcpIpv4Prefix <= 32, "--tcp-ipv4-prefix must be 0-32");
    require(tcpIpv6Prefix >= 0 && tcpIpv6Prefix <= 128, "--tcp-ipv6-prefix must be 0-128");
    require(
        tcpMaxConnections >= 1 && tcpMaxPerClient >= 1,
        "--tcp-max-connections and --tcp-max-per-client must be >= 1");
    allowRecursion = List.copyOf(allowRecursion);
    require(!maxStale.isNegative(), "--max-stale must not be negative");
    require(rrlRate >= 0 && rrlSlip >= 0, "--rrl-rate and --rrl-slip must be >= 0");
    require(tls != null, "TLS settings are required (StreamTls.NONE for plaintext)");
    require(maxAnswers >= 1, "--max-answers must be >= 1");
    require(clockMillis != null, "a clock is required");
    require(cookies || cookieSecretFile == null, "--cookie-secret-file needs --cookies");
    require(transfer != null, "transfer settings are required (TransferConfig.OFF for none)");
  }

  /**
   * A target is {@code host:port} (port 1..65535; IPv6 in brackets) or a gRPC URI such as {@code
   * dns:///name:port}, which lists every address of a name (the controller's headless Service).
   */
  private static void checkTarget(String target) {
    if (target.contains(":///")) {
      return; // a gRPC name-resolver URI: resolved and checked by gRPC
    }
    int colon = target.lastIndexOf(':');
    String host = colon < 0 ? "" : target.substring(0, colon);
    String port = colon < 0 ? "" : target.substring(colon + 1);
    boolean ok =
        !host.isBlank()
            && port.matches("\\d{1,5}")
            && Integer.parseInt(port) >= 1
            && Integer.parseInt(port) <= 65535;
    if (!ok) {
      throw new IllegalArgumentException(
          "--controller: '" + target + "' is not host:port (port 1-65535) or a dns:/// target");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A builder holding the flags' defaults, with {@code controllers} as the only required input. */
  public static Builder builder(List<String> controllers) {
    return new Builder(controllers);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    var b = new Builder(controllers);
    b.listen = listen;
    b.httpListen = httpListen;
    b.nodeName = nodeName;
    b.threads = threads;
    b.tcpIdleTimeout = tcpIdleTimeout;
    b.tcpFrameTimeout = tcpFrameTimeout;
    b.tcpMaxConnections = tcpMaxConnections;
    b.tcpMaxPerClient = tcpMaxPerClient;
    b.tcpIpv4Prefix = tcpIpv4Prefix;
    b.tcpIpv6Prefix = tcpIpv6Prefix;
    b.upstream = upstream;
    b.allowRecursion = allowRecursion;
    b.snapshotFile = snapshotFile;
    b.maxStale = maxStale;
    b.tls = tls;
    b.tlsServerName = tlsServerName;
    b.rrlRate = rrlRate;
    b.rrlSlip = rrlSlip;
    b.maxAnswers = maxAnswers;
    b.clockMillis = clockMillis;
    b.nsid = nsid;
    b.cookies = cookies;
    b.cookieSecretFile = cookieSecretFile;
    b.transfer = transfer;
    return b;
  }

  /** Mutable staging for a {@link ResolverConfig}; {@link #build()} validates. */
  public static final class Builder {
    private final List<String> controllers;
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private InetSocketAddress httpListen =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private String nodeName = "resolver";
    private int threads = 1;
    private Duration tcpIdleTimeout = Duration.ofSeconds(10);
    private Duration tcpFrameTimeout = Duration.ofSeconds(2);
    private int tcpMaxConnections = 1024;
    private int tcpMaxPerClient = 16;
    private int tcpIpv4Prefix = 32;
    private int tcpIpv6Prefix = 64;
    private InetSocketAddress upstream;
    private List<Cidr> allowRecursion = Forwarder.LOOPBACK_ONLY;
    private Path snapshotFile;
    private Duration maxStale = Duration.ZERO;
    private StreamTls tls = StreamTls.NONE;
    private String tlsServerName;
    private int rrlRate;
    private int rrlSlip = 2;
    private int maxAnswers = Answerer.DEFAULT_MAX_ANSWERS;
    private LongSupplier clockMillis = System::currentTimeMillis;
    private boolean nsid = true;
    private boolean cookies = true;
    private Path cookieSecretFile;
    private TransferConfig transfer = TransferConfig.OFF;

    private Builder(List<String> controllers) {
      this.controllers = controllers;
    }

    public Builder listen(InetSocketAddress v) {
      listen = v;
      return this;
    }

    public Builder httpListen(InetSocketAddress v) {
      httpListen = v;
      return this;
    }

    public Builder nodeName(String v) {
      nodeName = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public Builder tcpIdleTimeout(Duration v) {
      tcpIdleTimeout = v;
      return this;
    }

    public Builder tcpFrameTimeout(Duration v) {
      tcpFrameTimeout = v;
      return this;
    }

    public Builder tcpIpv4Prefix(int v) {
      tcpIpv4Prefix = v;
      return this;
    }

    public Builder tcpIpv6Prefix(int v) {
      tcpIpv6Prefix = v;
      return this;
    }

    public Builder tcpMaxConnections(int v) {
      tcpMaxConnections = v;
      return this;
    }

    public Builder tcpMaxPerClient(int v) {
      tcpMaxPerClient = v;
      return this;
    }

    public Builder upstream(InetSocketAddress v) {
      upstream = v;
      return this;
    }

    public Builder allowRecursion(List<Cidr> v) {
      allowRecursion = v;
      return this;
    }

    public Builder snapshotFile(Path v) {
      snapshotFile = v;
      return this;
    }

    public Builder maxStale(Duration v) {
      maxStale = v;
      return this;
    }

    public Builder tls(StreamTls v, String serverName) {
      tls = v;
      tlsServerName = serverName;
      return this;
    }

    public Builder rateLimit(int rate, int slip) {
      rrlRate = rate;
      rrlSlip = slip;
      return this;
    }

    public Builder maxAnswers(int v) {
      maxAnswers = v;
      return this;
    }

    public Builder clockMillis(LongSupplier v) {
      clockMillis = v;
      return this;
    }

    public Builder nsid(boolean v) {
      nsid = v;
      return this;
    }

    /**
     * @param enabled whether DNS cookies are answered
     * @param secretFile shared secrets; null: random per process
     */
    public Builder cookies(boolean enabled, Path secretFile) {
      cookies = enabled;
      cookieSecretFile = secretFile;
      return this;
    }

    public Builder transfer(TransferConfig v) {
      transfer = v;
      return this;
    }

    public ResolverConfig build() {
      return new ResolverConfig(
          controllers,
          listen,
          httpListen,
          nodeName,
          threads,
          tcpIdleTimeout,
          tcpFrameTimeout,
          tcpMaxConnections,
          tcpMaxPerClient,
          tcpIpv4Prefix,
          tcpIpv6Prefix,
          upstream,
          allowRecursion,
          snapshotFile,
          maxStale,
          tls,
          tlsServerName,
          rrlRate,
          rrlSlip,
          maxAnswers,
          clockMillis,
          nsid,
          cookies,
          cookieSecretFile,
          transfer);
    }
  }
}
