package io.minilb.controller;

import io.minilb.controller.records.Limits;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.status.StatusListener;
import io.minilb.controller.stream.StreamLimits;
import io.minilb.tls.StreamTls;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Every setting of the controller process, validated: an instance always describes a controller
 * that can be started. Immutable. {@code minilb controller} parses its flags into one; tests and
 * benchmarks start with {@link #builder()} (production defaults) and set only what they need.
 *
 * <p>The hooks default to production behaviour: losing leadership or a fatal error (an {@link
 * Error} on the reconcile path, e.g. OutOfMemoryError) exits the process with status 1 unless it is
 * already shutting down; status writes are heard by nobody; time is the system clock.
 *
 * @param zone apex, class, TTL and name server ({@code --domain}, {@code --lb-class}, {@code
 *     --ttl}, ...)
 * @param limits how much cluster input a snapshot takes ({@code --max-hosts-per-object}, {@code
 *     --max-endpoints-per-service}, {@code --max-records}, {@code --max-records-per-object}, {@code
 *     --max-names}, {@code --max-snapshot-bytes})
 * @param grpcListen {@code --grpc-listen}; port 0 picks a free port
 * @param httpListen {@code --http-listen}; port 0 picks a free port
 * @param leaseNamespace {@code --lease-namespace}
 * @param leaseName {@code --lease-name}
 * @param identity {@code --identity}, this process's name in the Lease
 * @param timing Lease timing
 * @param tls the stream's TLS ({@code --tls-cert}, {@code --tls-key}, {@code --tls-client-ca})
 * @param streamLimits caps on record streams ({@code --max-subscribers}, {@code
 *     --max-streams-per-connection})
 * @param gatewayDiscovery how often to look for newly installed Gateway API kinds
 * @param onLostLeadership runs when the Lease is lost while not shutting down
 * @param onFatalError runs when the reconcile thread meets an {@link Error}
 * @param statusListener hears every Service status write
 * @param clock wall clock for SOA serials and Event rate limits
 */
public record ControllerConfig(
    ZoneConfig zone,
    Limits limits,
    InetSocketAddress grpcListen,
    InetSocketAddress httpListen,
    String leaseNamespace,
    String leaseName,
    String identity,
    Leadership.Timing timing,
    StreamTls tls,
    StreamLimits streamLimits,
    Duration gatewayDiscovery,
    Runnable onLostLeadership,
    Consumer<Throwable> onFatalError,
    StatusListener statusListener,
    Clock clock) {

  /** Exits the process with status 1, as a Deployment expects of a controller that must restart. */
  public static final Runnable EXIT = () -> System.exit(1);

  public ControllerConfig {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(grpcListen, "--grpc-listen must be set");
    Objects.requireNonNull(httpListen, "--http-listen must be set");
    requireText(leaseNamespace, "--lease-namespace");
    requireText(leaseName, "--lease-name");
    requireText(identity, "--identity");
    Objects.requireNonNull(timing, "timing");
    if (timing.retryPeriod().isNegative()
        || timing.retryPeriod().isZero()
        || timing.retryPeriod().compareTo(timing.renewDeadline()) >= 0
        || timing.renewDeadline().compareTo(timing.leaseDuration()) >= 0) {
      throw new IllegalArgumentException(
          "lease timing must be 0 < retry period < renew deadline < lease duration, got " + timing);
    }
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(streamLimits, "streamLimits");
    if (tls.enabled() && tls.cert() == null) {
      throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
    }
    if (gatewayDiscovery == null || gatewayDiscovery.isNegative() || gatewayDiscovery.isZero()) {
      throw new IllegalArgumentException(
          "the Gateway API discovery interval must be positive, got " + gatewayDiscovery);
    }
    Objects.requireNonNull(onLostLeadership, "onLostLeadership");
    Objects.requireNonNull(onFatalError, "onFatalError");
    Objects.requireNonNull(statusListener, "statusListener");
    Objects.requireNonNull(clock, "clock");
  }

  /** Production defaults; only the identity is random unless set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config, to change a few settings. */
  public Builder toBuilder() {
    return new Builder()
        .zone(zone)
        .limits(limits)
        .grpcListen(grpcListen)
        .httpListen(httpListen)
        .leaseNamespace(leaseNamespace)
        .leaseName(leaseName)
        .identity(identity)
        .timing(timing)
        .tls(tls)
        .streamLimits(streamLimits)
        .gatewayDiscovery(gatewayDiscovery)
        .onLostLeadership(onLostLeadership)
        .onFatalError(onFatalError)
        .statusListener(statusListener)
        .clock(clock);
  }

  private static void requireText(String value, String flag) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(flag + " must not be blank");
    }
  }

  /** Starts from the production defaults; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private ZoneConfig zone = ZoneConfig.defaults();
    private Limits limits = Limits.DEFAULTS;
    private InetSocketAddress grpcListen = new InetSocketAddress("0.0.0.0", 9090);
    private InetSocketAddress httpListen = new InetSocketAddress("0.0.0.0", 8080);
    private String leaseNamespace = "minilb";
    private String leaseName = "minilb-controller";
    private String identity = "minilb-" + UUID.randomUUID();
    private Leadership.Timing timing = Leadership.Timing.defaults();
    private StreamTls tls = new StreamTls(null, null, null, StreamTls.DEFAULT_RELOAD);
    private StreamLimits streamLimits = StreamLimits.defaults();
    private Duration gatewayDiscovery = Duration.ofSeconds(30);
    private Runnable onLostLeadership = EXIT;
    private Consumer<Throwable> onFatalError =
        e -> {
          LoggerFactory.getLogger(Controller.class).error("fatal error; exiting", e);
          EXIT.run();
        };
    private StatusListener statusListener = StatusListener.NONE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder zone(ZoneConfig zone) {
      this.zone = zone;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    public Builder grpcListen(InetSocketAddress grpcListen) {
      this.grpcListen = grpcListen;
      return this;
    }

    public Builder httpListen(InetSocketAddress httpListen) {
      this.httpListen = httpListen;
      return this;
    }

    /** Both listeners on {@code address}, each on a port the kernel picks. */
    public Builder ephemeralPorts(java.net.InetAddress address) {
      return grpcListen(new InetSocketAddress(address, 0))
          .httpListen(new InetSocketAddress(address, 0));
    }

    public Builder leaseNamespace(String leaseNamespace) {
      this.leaseNamespace = leaseNamespace;
      return this;
    }

    public Builder leaseName(String leaseName) {
      this.leaseName = leaseName;
      return this;
    }

    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    public Builder timing(Leadership.Timing timing) {
      this.timing = timing;
      return this;
    }

    public Builder tls(StreamTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder streamLimits(StreamLimits streamLimits) {
      this.streamLimits = streamLimits;
      return this;
    }

    public Builder gatewayDiscovery(Duration gatewayDiscovery) {
      this.gatewayDiscovery = gatewayDiscovery;
      return this;
    }

    public Builder onLostLeadership(Runnable onLostLeadership) {
      this.onLostLeadership = onLostLeadership;
      return this;
    }

    public Builder onFatalError(Consumer<Throwable> onFatalError) {
      this.onFatalError = onFatalError;
      return this;
    }

    public Builder statusListener(StatusListener statusListener) {
      this.statusListener = statusListener;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the flag of the first invalid setting
     */
    public ControllerConfig build() {
      return new ControllerConfig(
          zone,
          limits,
          grpcListen,
          httpListen,
          leaseNamespace,
          leaseName,
          identity,
          timing,
          tls,
          streamLimits,
          gatewayDiscovery,
          onLostLeadership,
          onFatalError,
          statusListener,
          clock);
    }
  }
}
