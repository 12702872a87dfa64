package io.minilb.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Status;
import io.minilb.controller.kube.ClusterViews;
import io.minilb.controller.kube.EventRecorder;
import io.minilb.controller.kube.HeapTrim;
import io.minilb.controller.kube.Informers;
import io.minilb.controller.kube.StatusWriter;
import io.minilb.controller.reconcile.Reconciler;
import io.minilb.controller.records.Finding;
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.routes.RoutesEndpoint;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.status.DesiredStatus;
import io.minilb.controller.status.StatusListener;
import io.minilb.controller.status.StatusRule;
import io.minilb.controller.stream.RecordStreamService;
import io.minilb.controller.stream.StreamServer;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.ops.OpsServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller process, assembled from a {@link ControllerConfig}: informers feed views; the
 * {@link Reconciler} turns views into records, routes and status writes; the leader publishes
 * snapshots to the record stream. Followers keep their informers warm and refuse streams. Ready
 * means "informers synced and stream server up", on leader and follower alike.
 *
 * <p>This is the only way to start a controller: {@code minilb controller}, the tests and the
 * benchmarks all build one here.
 */
public final class Controller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Controller.class);
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final KubernetesClient client;
  private final ControllerConfig config;
  private final RecordBuilder builder;
  private final ClusterViews views;
  private final RecordStreamService streams;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final RoutesEndpoint routes = new RoutesEndpoint();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ControllerMetrics metrics;
  private final Reconciler reconciler;
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "api-discovery");
            t.setDaemon(true);
            return t;
          });
  private final SecureRandom random = new SecureRandom();
  private volatile SnapshotPublisher publisher;
  private volatile Informers informers;
  private StreamServer stream;
  private OpsServer ops;
  private Leadership leadership;

  public Controller(KubernetesClient client, ControllerConfig config) {
    this.client = client;
    this.config = config;
    this.builder = new RecordBuilder(config.zone(), config.limits());
    this.reconciler = new Reconciler(this::synced, this::reconcile, config.onFatalError());
    this.views = new ClusterViews(reconciler::request);
    this.streams = new RecordStreamService(() -> publisher, config.streamLimits(), background);
    this.events = EventRecorder.forCluster(client, config.identity(), config.clock()::millis);
    JvmMetrics.builder().register(registry);
    this.metrics = new ControllerMetrics(registry, views, () -> publisher, streams);
    this.statusWriter = new StatusWriter(client, statusListener(config.statusListener()));
  }

  /** Binds the stream and ops ports, starts the informers and campaigns for the Lease. */
  public Controller start() throws IOException {
    stream =
        StreamServer.start(
            config.grpcListen(), config.tls(), streams, config.streamLimits(), background);
    ops = OpsServer.start(config.httpListen(), this::ready, registry);
    ops.handle("/routes", routes::handle);
    informers = new Informers(client, views);
    long every = config.gatewayDiscovery().toMillis();
    background.scheduleWithFixedDelay(
        informers::discoverGatewayApi, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "controller {} up: zone {}, class {}, stream on {}, ops on {}",
        config.identity(),
        config.zone().domain(),
        config.zone().lbClass(),
        grpcAddress(),
        ops.address());
    leadership = new Leadership(client, config, this::startLeading, this::stopLeading);
    reconciler.request();
    return this;
  }

  public InetSocketAddress grpcAddress() {
    return stream.address();
  }

  public InetSocketAddress httpAddress() {
    return ops.address();
  }

  /** Informers synced and the stream server up; leader or not. */
  public boolean ready() {
    StreamServer s = stream;
    return s != null && s.serving() && synced();
  }

  /** Whether this controller holds the Lease (and so serves streams and writes status). */
  public boolean leading() {
    return publisher != null;
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

  /** This leadership's publisher; null when not leading. */
  SnapshotPublisher publisher() {
    return publisher;
  }

  private boolean synced() {
    Informers i = informers;
    return i != null && i.synced();
  }

  private void startLeading() {
    long epoch = random.nextLong();
    var p = new SnapshotPublisher(epoch, builder::soa, () -> config.clock().millis() / 1000);
    p.addListener(streams::onPublish);
    // before the trim, which then gives back what the warm-up allocated too
    p.addListener(new ChangeWarmUp(background, config.zone(), config.limits()));
    p.addListener(new HeapTrim(background));
    publisher = p;
    log.info("leading with epoch {}", Long.toHexString(epoch));
    reconciler.request();
  }

  private void stopLeading() {
    publisher = null;
    streams.closeAll(Status.UNAVAILABLE.withDescription("leadership lost"));
    statusWriter.close();
  }

  /** One pass on the reconcile thread, with the informers synced. */
  private void reconcile() {
    routes.update(views.nodes());
    SnapshotPublisher p = publisher;
    if (p == null) {
      return;
    }
    long cpu0 = CPU.getCurrentThreadCpuTime();
    ClusterState state = views.state();
    long t0 = System.nanoTime();
    RecordBuilder.Build build = builder.build(state);
    long t1 = System.nanoTime();
    boolean published = p.publish(build.zones(), build.records());
    long t2 = System.nanoTime();
    metrics.built(published, t2 - t0);
    if (published) {
      // wall times, then the pass's own CPU (views copied, build, publish, deltas encoded for the
      // streams): on a shared node the difference is time spent waiting for a core
      log.info(
          "published {} ({} rrsets, {} zones; waited {} ms for the pass, build {} ms, publish {}"
              + " ms, cpu {} ms)",
          p.current().version(),
          p.current().rrsets().size(),
          build.zones().size(),
          millis(reconciler.queuedNanos()),
          millis(t1 - t0),
          millis(t2 - t1),
          millis(CPU.getCurrentThreadCpuTime() - cpu0));
    }
    build.dropped().forEach(metrics::dropped);
    build.limited().forEach(metrics::limited);
    build.findings().forEach(events::record);
    // A Service whose records were dropped gets no hostname: it would name nothing.
    var dropped = new java.util.HashSet<ObjectKey>();
    build.dropped().stream()
        .filter(f -> "Service".equals(f.kind()))
        .forEach(f -> dropped.add(f.object()));
    for (ServiceView s : state.services()) {
      statusWriter.ensure(s, StatusRule.desired(config.zone(), s, dropped));
    }
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
  }

  /** Metrics, a Normal Event on assignment, then the configured listener. */
  private StatusListener statusListener(StatusListener configured) {
    return new StatusListener() {
      @Override
      public void failed(ObjectKey key, String reason) {
        metrics.failed(key, reason);
        configured.failed(key, reason);
      }

      @Override
      public void written(ObjectKey key, DesiredStatus status) {
        metrics.written(key, status);
        configured.written(key, status);
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
    };
  }

  @Override
  public void close() {
    if (leadership != null) {
      leadership.close();
    }
    reconciler.close();
    streams.closeAll(Status.UNAVAILABLE.withDescription("controller shutting down"));
    statusWriter.close();
    events.close();
    background.shutdownNow();
    if (informers != null) {
      informers.close();
    }
    if (stream != null) {
      stream.close();
    }
    if (ops != null) {
      ops.close();
    }
  }
}
