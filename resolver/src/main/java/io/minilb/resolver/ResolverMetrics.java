package io.minilb.resolver;

import io.minilb.resolver.store.Store;
import io.minilb.resolver.sync.ControllerStream;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The resolver's state gauges, read at scrape time (nothing runs between scrapes). */
public final class ResolverMetrics {

  private ResolverMetrics() {}

  public static void register(PrometheusRegistry registry, Store store, ControllerStream stream) {
    GaugeWithCallback.builder()
        .name("minilb_resolver_snapshot_sequence")
        .help("Sequence of the held snapshot within its epoch (0: none)")
        .callback(cb -> cb.call(store.version().map(v -> (double) v.sequence()).orElse(0.0)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_resolver_snapshot_age_seconds")
        .help("How long the held data has gone unconfirmed by a controller (0 while synced)")
        .callback(cb -> cb.call(store.freshness().age().toMillis() / 1000.0))
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_resolver_snapshot_rrsets")
        .help("RRsets in the held snapshot")
        .callback(cb -> cb.call(store.index() == null ? 0 : store.index().rrsetCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("minilb_resolver_stream_state")
        .help("1 for the record stream's current state")
        .labelNames("state")
        .callback(
            cb -> {
              for (ControllerStream.State s : ControllerStream.State.values()) {
                cb.call(stream.state() == s ? 1 : 0, s.name().toLowerCase(java.util.Locale.ROOT));
              }
            })
        .register(registry);
  }
}
