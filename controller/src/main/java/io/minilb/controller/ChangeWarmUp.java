package io.minilb.controller;

import io.minilb.controller.records.Limits;
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.snapshot.AfterFirstPublish;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.stream.RecordStreamService;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.snapshot.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few scratch changes through the path every real change takes after start (an incremental
 * record build, a publish that keeps its delta, that delta encoded as a stream sends it), so that
 * the first real change after the first publish does not pay for loading and first running that
 * code (about 30 classes, tens of ms on a busy node with the images' C1-only JIT).
 *
 * <p>It works off to the side: a record builder, a publisher and an encoding of its own, fed a
 * scratch namespace. Nothing reaches the resolvers (the scratch publisher has no listeners and no
 * stream reads it), no Service status is written, and the controller's builder, whose cache the
 * next real build reuses, is not touched.
 *
 * <p>One instance per leadership, added as a listener of that leadership's publisher: the first
 * publish hands the warm-up to {@code executor} (never the publishing thread); later publishes do
 * nothing. Thread-safe.
 */
final class ChangeWarmUp implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ChangeWarmUp.class);

  /** The scratch Services' namespace; never read from the cluster. */
  static final String NAMESPACE = "minilb-warm-up";

  /** Scratch changes after the scratch start: enough to take each path of a publish twice. */
  static final int CHANGES = 3;

  /** What the scratch changes produced, for the log and the tests. */
  record Warmed(int deltas, long bytes, Snapshot last) {}

  private final ZoneConfig zone;
  private final Limits limits;
  private final AfterFirstPublish once;

  ChangeWarmUp(Executor executor, ZoneConfig zone, Limits limits) {
    this.zone = zone;
    this.limits = limits;
    this.once = new AfterFirstPublish(executor, this::warm);
  }

  /** Called after each publish; warms up once, after the first. */
  @Override
  public void run() {
    once.run();
  }

  private void warm() {
    long t0 = System.nanoTime();
    try {
      Warmed w = changes(zone, limits);
      log.debug(
          "change path warmed up in {} ms ({} scratch deltas, {} bytes)",
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e6),
          w.deltas(),
          w.bytes());
    } catch (RuntimeException e) {
      log.warn("change path warm-up failed; the first change will run cold", e);
    }
  }

  /**
   * Builds and publishes a scratch cluster of two Services, then {@link #CHANGES} times adds an
   * endpoint to the first one's slice, rebuilds, publishes and encodes the delta from the version
   * before, as the controller does for a real change.
   */
  static Warmed changes(ZoneConfig zone, Limits limits) {
    var builder = new RecordBuilder(zone, limits);
    var publisher = new SnapshotPublisher(0, builder::soa, () -> 1);
    var addresses = new ArrayList<String>(List.of("192.0.2.1"));
    publish(builder, publisher, zone.lbClass(), addresses);
    int deltas = 0;
    long bytes = 0;
    for (int i = 0; i < CHANGES; i++) {
      Snapshot before = publisher.current();
      addresses.add("192.0.2." + (i + 2));
      if (publish(builder, publisher, zone.lbClass(), addresses)) {
        bytes += RecordStreamService.encodedDeltaSize(publisher, before, publisher.current());
        deltas++;
      }
    }
    return new Warmed(deltas, bytes, publisher.current());
  }

  private static boolean publish(
      RecordBuilder builder, SnapshotPublisher publisher, String cls, List<String> changing) {
    var services = List.of(service("a", cls), service("b", cls));
    var slices = List.of(slice("a", changing), slice("b", List.of("192.0.2.200")));
    var build =
        builder.build(
            new ClusterState(services, slices, List.of(), List.of(), List.of(), List.of()));
    return publisher.publish(build.zones(), build.records());
  }

  private static ServiceView service(String name, String lbClass) {
    return new ServiceView(
        NAMESPACE,
        name,
        ServiceView.LOAD_BALANCER,
        lbClass,
        false,
        Instant.EPOCH,
        java.util.Map.of(),
        List.of(new ServiceView.PortView("http", "TCP", 80)),
        List.of(),
        List.of());
  }

  private static SliceView slice(String service, List<String> addresses) {
    return new SliceView(
        NAMESPACE,
        service + "-warm-up",
        service,
        "IPv4",
        addresses.stream()
            .map(a -> new SliceView.EndpointView(List.of(a), true, false, null))
            .toList(),
        List.of(new ServiceView.PortView("http", "TCP", 80)));
  }
}
