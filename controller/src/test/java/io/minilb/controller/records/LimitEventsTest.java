package io.minilb.controller.records;

import static io.minilb.controller.records.RecordsPerObjectTest.endpoints;
import static io.minilb.controller.records.RecordsPerObjectTest.port;
import static io.minilb.controller.records.RecordsPerObjectTest.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.controller.kube.EventRecorder;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Warnings about limits are worded without live counts, so a Service whose pods come and go while
 * it is over a limit raises one Event per hour, not one per pod change.
 */
class LimitEventsTest {

  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
  private final List<Finding> sent = new CopyOnWriteArrayList<>();
  private final EventRecorder recorder = new EventRecorder(sent::add, () -> 1_000_000L);
  // An older Service of 8 pods, admitted first in the limit tests below.
  private final List<ServiceView.PortView> http = List.of(port("http", 8080));
  private final ServiceView old = svc("default", "old", OLD, Map.of(), http);
  private final List<SliceView> oldSlices = endpoints("default", "old", 8, 10, http);

  @AfterEach
  void close() {
    recorder.close();
  }

  @Test
  void tooManyEndpoints_atTwoDifferentCounts_isOneEvent() {
    var http = List.of(port("http", 8080));
    var svc = svc("default", "big", OLD, Map.of(), http);
    var builder = new RecordBuilder(ZoneConfig.defaults());

    record(
        builder.build(Fixtures.state(List.of(svc), endpoints("default", "big", 1_200, 10, http))));
    record(
        builder.build(Fixtures.state(List.of(svc), endpoints("default", "big", 1_300, 10, http))));

    assertThat(sentAfterAll()).extracting(Finding::reason).containsExactly("TooManyEndpoints");
  }

  @Test
  void tooManyRecords_atTwoDifferentCounts_isOneEvent() {
    var ports = IntStream.range(0, 20).mapToObj(i -> port("p" + i, 9000 + i)).toList();
    var svc = svc("default", "ports", OLD, Map.of(), ports);
    var builder = new RecordBuilder(ZoneConfig.defaults());

    record(
        builder.build(Fixtures.state(List.of(svc), endpoints("default", "ports", 600, 10, ports))));
    record(
        builder.build(Fixtures.state(List.of(svc), endpoints("default", "ports", 700, 10, ports))));

    assertThat(sentAfterAll()).extracting(Finding::reason).containsExactly("TooManyRecords");
  }

  @Test
  void recordLimitReached_atTwoDifferentSizes_isOneEvent() {
    youngAtTwoSizes_isOneEvent(new Limits(100, 1_000, 30, 10_000), "RecordLimitReached");
  }

  @Test
  void snapshotSizeLimitReached_atTwoDifferentSizes_isOneEvent() {
    var alone = new RecordBuilder(ZoneConfig.defaults());
    int oldOnly =
        SnapshotSizeLimitTest.encoded(alone, alone.build(Fixtures.state(List.of(old), oldSlices)));
    youngAtTwoSizes_isOneEvent(
        new Limits(100, 1_000, 100_000, 10_000, Limits.DEFAULT_NAMES, oldOnly + WireSize.VERSION),
        "SnapshotSizeLimitReached");
  }

  /**
   * Builds {@link #old} beside a younger Service of 8, then 9 pods, under {@code limits}, which
   * leave the younger one out: one {@code reason} Event for it, however its size changed.
   */
  private void youngAtTwoSizes_isOneEvent(Limits limits, String reason) {
    var young = svc("default", "young", Instant.parse("2026-01-01T00:00:00Z"), Map.of(), http);
    var builder = new RecordBuilder(ZoneConfig.defaults(), limits);

    for (int pods : new int[] {8, 9}) {
      var slices = new ArrayList<>(oldSlices);
      slices.addAll(endpoints("default", "young", pods, 11, http));
      record(builder.build(Fixtures.state(List.of(old, young), slices)));
    }

    assertThat(sentAfterAll())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(reason);
              assertThat(f.object()).isEqualTo(new ObjectKey("default", "young"));
            });
  }

  private void record(RecordBuilder.Build build) {
    build.findings().forEach(recorder::record);
  }

  /** What was sent, once a marker recorded last has gone through the recorder's one thread. */
  private List<Finding> sentAfterAll() {
    var marker = Finding.warning("Service", new ObjectKey("x", "marker"), "Marker", "end");
    recorder.record(marker);
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.contains(marker));
    return sent.stream().filter(f -> !f.equals(marker)).toList();
  }
}
