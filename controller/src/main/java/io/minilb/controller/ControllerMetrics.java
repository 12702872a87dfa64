package io.minilb.controller;

import io.minilb.controller.kube.ClusterViews;
import io.minilb.controller.records.Finding;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.status.DesiredStatus;
import io.minilb.controller.status.StatusListener;
import io.minilb.controller.stream.DirectMemory;
import io.minilb.controller.stream.RecordStreamService;
import io.minilb.controller.view.ObjectKey;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Supplier;

/** The controller's metrics: counters updated by the reconcile loop, gauges read at scrape time. */
final class ControllerMetrics implements StatusListener {

  private final Counter builds;
  private final Histogram buildSeconds;
  private final Counter statusWrites;
  private final Counter dropped;
  private final Counter limited;

  ControllerMetrics(
      PrometheusRegistry registry,
      ClusterViews views,
      Supplier<SnapshotPublisher> publisher,
      RecordStreamService streams) {
    builds =
        Counter.builder()
            .name("minilb_controller_snapshot_builds_total")
            .help("Record-set builds, by whether they published a new version")
            .labelNames("result")
            .register(registry);
    buildSeconds =
        Histogram.builder()
            .name("minilb_controller_snapshot_build_seconds")
            .help("Time to build the record set from the cluster views")
            .classicUpperBounds(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    statusWrites =
        Counter.builder()
            .name("minilb_controller_status_writes_total")
            .help("Service status writes, by result")
            .labelNames("result")
            .register(registry);
    dropped =
        Counter.builder()
            .name("minilb_controller_objects_dropped_total")
            .help("Objects left out of a record build (counted per build), by kind and reason")
            .labelNames("kind", "reason")
            .register(registry);
    limited =
        Counter.builder()
            .name("minilb_controller_objects_limited_total")
            .help(
                "Objects published only in part because they were over a limit (counted per"
                    + " build), by kind and reason")
            .labelNames("kind", "reason")
            .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_watched_objects")
        .help("Objects watched, by kind (each held only as its view)")
        .labelNames("kind")
        .callback(
            cb -> {
              var s = views.state();
              cb.call(s.services().size(), "Service");
              cb.call(s.slices().size(), "EndpointSlice");
              cb.call(s.ingresses().size(), "Ingress");
              cb.call(s.nodes().size(), "Node");
              cb.call(s.gateways().size(), "Gateway");
              cb.call(s.routes().size(), "Route");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_rrsets")
        .help("RRsets in the current snapshot")
        .callback(
            cb -> {
              SnapshotPublisher p = publisher.get();
              cb.call(p == null || p.current() == null ? 0 : p.current().rrsets().size());
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_snapshot_sequence")
        .help("Sequence of the current snapshot within this leadership's epoch")
        .callback(
            cb -> {
              SnapshotPublisher p = publisher.get();
              cb.call(p == null || p.current() == null ? 0 : p.current().version().sequence());
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_connected_resolvers")
        .help("Resolvers with an open record stream")
        .callback(cb -> cb.call(streams.connected()))
        .register(registry);
    CounterWithCallback.builder()
        .name("minilb_controller_snapshot_encodings_total")
        .help("Full snapshots encoded for the record stream (once per version, shared by all)")
        .callback(cb -> cb.call(streams.fullEncodings()))
        .register(registry);
    CounterWithCallback.builder()
        .name("minilb_controller_stream_rejections_total")
        .help(
            "Record streams refused or ended for misbehaving, by reason (over_cap, invalid,"
                + " resubscribe, slow_reader)")
        .labelNames("reason")
        .callback(
            cb -> {
              var counts = streams.rejections();
              for (String reason : List.of("over_cap", "invalid", "resubscribe", "slow_reader")) {
                cb.call(counts.getOrDefault(reason, 0L), reason);
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_stream_pending_bytes")
        .help("Bytes of stream responses handed to the transport and not yet written out")
        .callback(cb -> cb.call(streams.pendingSendBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_direct_memory_bytes")
        .help("Direct (off-heap) memory in use, where the stream's outbound buffers live")
        .callback(cb -> cb.call(DirectMemory.used()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_controller_leader")
        .help("1 while this controller holds the lease")
        .callback(cb -> cb.call(publisher.get() == null ? 0 : 1))
        .register(registry);
    statusWrites.labelValues("ok");
    statusWrites.labelValues("error");
    builds.labelValues("published");
    builds.labelValues("unchanged");
  }

  void built(boolean published, long nanos) {
    builds.labelValues(published ? "published" : "unchanged").inc();
    buildSeconds.observe(nanos / 1e9);
  }

  void dropped(Finding f) {
    dropped.labelValues(f.kind(), f.reason()).inc();
  }

  void limited(Finding f) {
    limited.labelValues(f.kind(), f.reason()).inc();
  }

  @Override
  public void written(ObjectKey service, DesiredStatus status) {
    statusWrites.labelValues("ok").inc();
  }

  @Override
  public void failed(ObjectKey service, String reason) {
    statusWrites.labelValues("error").inc();
  }
}
