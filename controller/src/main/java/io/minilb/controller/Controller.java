package io.minilb.controller;

import com.sun.net.httpserver.HttpExchange;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.minilb.controller.kube.ClusterViews;
import io.minilb.controller.kube.EventRecorder;
import io.minilb.controller.kube.Informers;
import io.minilb.controller.kube.StatusWriter;
import io.minilb.controller.records.Finding;
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.routes.RouteTable;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.stream.RecordStreamService;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.ops.OpsServer;
import io.minilb.tls.StreamTls;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller process, wired: informers feed views; a single reconcile thread turns views into
 * records and status writes; the leader publishes snapshots to the record stream. Followers keep
 * their informers warm, report not ready, and refuse streams.
 */
public final class Controller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  /** Everything the controller is configured with. */
  public record Config(
      ZoneConfig zone,
      InetSocketAddress grpcListen,
      InetSocketAddress httpListen,
      String leaseNamespace,
      String leaseName,
      String identity,
      Leadership.Timing timing,
      StreamTls tls) {

    /** Plaintext stream. */
    public Config(
        ZoneConfig zone,
        InetSocketAddress grpcListen,
        InetSocketAddress httpListen,
        String leaseNamespace,
        String leaseName,
        String identity,
        Leadership.Timing timing) {
      this(
          zone,
          grpcListen,
          httpListen,
          leaseNamespace,
          leaseName,
          identity,
          timing,
          new StreamTls(null, null, null, StreamTls.DEFAULT_RELOAD));
    }
  }

  private final KubernetesClient client;
  private final Config config;
  private final Runnable onLostLeadership;
  private final RecordBuilder builder;
  private final ClusterViews views;
  private final RecordStreamService streams;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ControllerMetrics metrics;
  private final ExecutorService reconciler;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final ScheduledExecutorService discovery =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "api-discovery");
            t.setDaemon(true);
            return t;
          });
  private final SecureRandom random = new SecureRandom();
  private volatile SnapshotPublisher publisher;
  private volatile RouteTable routes = RouteTable.of(List.of());
  private volatile boolean closed;
  private Informers informers;
  private Server grpc;
  private OpsServer ops;
  private Leadership leadership;

  public Controller(
      KubernetesClient client,
      Config config,
      StatusWriter.Listener statusListener,
      Runnable onLostLeadership) {
    this.client = client;
    this.config = config;
    this.onLostLeadership = onLostLeadership;
    this.builder = new RecordBuilder(config.zone());
    this.views = new ClusterViews(this::scheduleReconcile);
    this.streams = new RecordStreamService(() -> publisher);
    this.events = EventRecorder.forCluster(client, config.identity());
    JvmMetrics.builder().register(registry);
    this.metrics = new ControllerMetrics(registry, views, () -> publisher, streams);
    this.statusWriter =
        new StatusWriter(
            client,
            new StatusWriter.Listener() {
              @Override
              public void failed(ObjectKey key, String reason) {
                metrics.failed(key, reason);
                statusListener.failed(key, reason);
              }

              @Override
              public void written(ObjectKey key, StatusWriter.Desired status) {
                metrics.written(key, status);
                statusListener.written(key, status);
                if (!status.hostnames().isEmpty()) {
                  events.record(
                      new Finding(
                          "Service",
                          key,
                          Finding.Type.Normal,
                          "HostnameAssigned",
                          "minilb assigned " + String.join(", ", status.hostnames())));
                }
              }
            });
    this.reconciler =
        Executors.newSingleThreadExecutor(
            r -> {
              var t = new Thread(r, "reconcile");
              t.setDaemon(true);
              return t;
            });
  }

  public Controller start() throws IOException {
    grpc =
        NettyServerBuilder.forAddress(config.grpcListen(), serverCredentials())
            .addService(streams)
            .keepAliveTime(10, TimeUnit.SECONDS)
            .keepAliveTimeout(5, TimeUnit.SECONDS)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .maxInboundMessageSize(64 << 10) // resolvers only send small requests
            .maxInboundMetadataSize(16 << 10)
            .maxConcurrentCallsPerConnection(4)
            .flowControlWindow(1 << 20)
            .build()
            .start();
    ops = OpsServer.start(config.httpListen(), this::ready, registry);
    ops.handle("/routes", this::serveRoutes);
    informers = new Informers(client, views);
    discovery.scheduleWithFixedDelay(informers::discoverGatewayApi, 30, 30, TimeUnit.SECONDS);
    log.info(
        "controller {} up: zone {}, class {}, stream on {}, ops on {}",
        config.identity(),
        config.zone().domain(),
        config.zone().lbClass(),
        grpcAddress(),
        ops.address());
    leadership =
        new Leadership(
            client,
            config.leaseNamespace(),
            config.leaseName(),
            config.identity(),
            config.timing(),
            this::startLeading,
            this::stopLeading,
            onLostLeadership);
    return this;
  }

  private io.grpc.ServerCredentials serverCredentials() throws IOException {
    try {
      return config.tls().server(discovery);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load the stream's TLS files: " + e.getMessage(), e);
    }
  }

  public InetSocketAddress grpcAddress() {
    return (InetSocketAddress) grpc.getListenSockets().get(0);
  }

  public InetSocketAddress httpAddress() {
    return ops.address();
  }

  /** Leader, informers synced, and a snapshot published. */
  public boolean ready() {
    SnapshotPublisher p = publisher;
    return p != null && p.current() != null && informers != null && informers.synced();
  }

  /** Looks for newly installed Gateway API kinds now rather than at the next periodic check. */
  public void discoverGatewayApi() {
    informers.discoverGatewayApi();
  }

  /** The sequence of the newest published snapshot; 0 when not leading or nothing published. */
  public long snapshotSequence() {
    SnapshotPublisher p = publisher;
    return p == null || p.current() == null ? 0 : p.current().version().sequence();
  }

  public boolean leading() {
    return publisher != null;
  }

  private void startLeading() {
    long epoch = random.nextLong();
    publisher = new SnapshotPublisher(epoch, builder::soa, () -> System.currentTimeMillis() / 1000);
    publisher.addListener(streams::onPublish);
    log.info("leading with epoch {}", Long.toHexString(epoch));
    scheduleReconcile();
  }

  private void stopLeading() {
    publisher = null;
    streams.closeAll(Status.UNAVAILABLE.withDescription("leadership lost"));
    statusWriter.close();
  }

  private void scheduleReconcile() {
    if (dirty.compareAndSet(false, true) && !closed) {
      reconciler.execute(this::reconcile);
    }
  }

  private void reconcile() {
    dirty.set(false);
    if (informers == null || !informers.synced()) {
      return; // a partial view would publish NXDOMAIN for names not yet listed
    }
    try {
      updateRoutes();
      SnapshotPublisher p = publisher;
      if (p == null) {
        return;
      }
      ClusterState state = views.state();
      long t0 = System.nanoTime();
      RecordBuilder.Build build = builder.build(state);
      boolean published = p.publish(build.zones(), build.records());
      metrics.built(published, System.nanoTime() - t0);
      if (published) {
        log.info(
            "published {} ({} rrsets, {} zones)",
            p.current().version(),
            p.current().rrsets().size(),
            build.zones().size());
      }
      build.findings().forEach(events::record);
      for (ServiceView s : state.services()) {
        statusWriter.ensure(s, desiredStatus(config.zone(), s));
      }
    } catch (RuntimeException e) {
      log.error("reconcile failed; keeping the last snapshot", e);
    }
  }

  private void updateRoutes() {
    RouteTable next = RouteTable.of(views.nodes());
    if (next.equals(routes)) {
      return;
    }
    routes = next;
    var block = new StringBuilder("Add the following routes to your default gateway (router):\n");
    block.append(next.render(RouteTable.Format.IP));
    next.warnings().forEach(w -> block.append("WARNING: ").append(w).append('\n'));
    log.info("node routes changed\n{}", block.toString().stripTrailing());
  }

  /** The current node routes; empty until the informers have synced. */
  public RouteTable routes() {
    return routes;
  }

  private void serveRoutes(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    String format = "ip";
    if (query != null) {
      for (String kv : query.split("&")) {
        if (kv.startsWith("format=")) {
          format = kv.substring("format=".length());
        }
      }
    }
    try {
      OpsServer.text(ex, 200, routes.render(RouteTable.Format.parse(format)));
    } catch (IllegalArgumentException e) {
      OpsServer.text(ex, 400, e.getMessage() + "\n");
    }
  }

  /**
   * A qualifying Service's status is exactly our hostname; any other Service loses our hostname and
   * keeps whatever else it has.
   */
  static StatusWriter.Desired desiredStatus(ZoneConfig zone, ServiceView s) {
    String ours = zone.hostname(s.namespace(), s.name());
    if (zone.qualifies(s)) {
      return new StatusWriter.Desired(List.of(ours), List.of());
    }
    return new StatusWriter.Desired(
        s.statusHostnames().stream().filter(h -> !h.equals(ours)).toList(), s.statusIps());
  }

  @Override
  public void close() {
    closed = true;
    if (leadership != null) {
      leadership.close();
    }
    streams.closeAll(Status.UNAVAILABLE.withDescription("controller shutting down"));
    statusWriter.close();
    events.close();
    reconciler.shutdownNow();
    discovery.shutdownNow();
    if (informers != null) {
      informers.close();
    }
    if (grpc != null) {
      grpc.shutdownNow();
    }
    if (ops != null) {
      ops.close();
    }
  }
}
