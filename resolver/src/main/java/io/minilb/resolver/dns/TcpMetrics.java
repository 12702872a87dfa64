package io.minilb.resolver.dns;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Why the resolver closed DNS TCP connections: {@code idle} (no frame within the idle timeout),
 * {@code frame_deadline} (a frame not whole within the frame timeout of its first byte), {@code
 * table_full} and {@code client_cap} (the longest-stalled connection made room for a newcomer).
 * Data points are resolved once; counting is an atomic add.
 */
final class TcpMetrics {

  private final Counter closed;
  private final CounterDataPoint idle;
  private final CounterDataPoint frameDeadline;
  private final CounterDataPoint tableFull;
  private final CounterDataPoint clientCap;

  TcpMetrics(PrometheusRegistry registry) {
    closed =
        Counter.builder()
            .name("minilb_resolver_tcp_closed_total")
            .help("DNS TCP connections closed by the resolver, by reason")
            .labelNames("reason")
            .register(registry);
    idle = closed.labelValues("idle");
    frameDeadline = closed.labelValues("frame_deadline");
    tableFull = closed.labelValues("table_full");
    clientCap = closed.labelValues("client_cap");
  }

  void idle() {
    idle.inc();
  }

  void frameDeadline() {
    frameDeadline.inc();
  }

  void tableFull() {
    tableFull.inc();
  }

  void clientCap() {
    clientCap.inc();
  }

  /** The count for one reason (tests). */
  long closed(String reason) {
    return (long) closed.labelValues(reason).get();
  }
}
