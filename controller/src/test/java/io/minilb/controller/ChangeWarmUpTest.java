package io.minilb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.records.Limits;
import io.minilb.controller.records.RecordBuilder;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.snapshot.SnapshotPublisher;
import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeWarmUpTest {

  private final ZoneConfig zone = ZoneConfig.defaults();

  @Test
  void changes_goThroughIncrementalBuildsPublishesAndDeltaEncodings() {
    var warmed = ChangeWarmUp.changes(zone, Limits.DEFAULTS);

    assertThat(warmed.deltas()).isEqualTo(ChangeWarmUp.CHANGES);
    assertThat(warmed.bytes()).isPositive();
    assertThat(warmed.last().version()).isEqualTo(new Version(0, 1 + ChangeWarmUp.CHANGES));
    assertThat(warmed.last().rrsets().values())
        .extracting(RRSet::name)
        .contains("a." + ChangeWarmUp.NAMESPACE + ".minilb.");
  }

  @Test
  void aLeadershipsPublisher_warmsUpOnceAfterItsFirstPublish() {
    var tasks = new ArrayList<Runnable>();
    var warmUp = new ChangeWarmUp(tasks::add, zone, Limits.DEFAULTS);

    warmUp.run();
    warmUp.run();
    warmUp.run();
    assertThat(tasks).hasSize(1);

    new ChangeWarmUp(tasks::add, zone, Limits.DEFAULTS).run();
    assertThat(tasks).hasSize(2);
  }

  @Test
  void theWarmUp_leavesTheServedPublisherAndBuilderAsTheyWere() {
    var builder = new RecordBuilder(zone, Limits.DEFAULTS);
    var publisher = new SnapshotPublisher(7, builder::soa, () -> 1_000_000);
    var notified = new ArrayList<Version>();
    publisher.addListener(() -> notified.add(publisher.current().version()));
    publisher.addListener(new ChangeWarmUp(Runnable::run, zone, Limits.DEFAULTS));
    var state = state("10.0.0.1");
    var first = builder.build(state);
    assertThat(publisher.publish(first.zones(), first.records())).isTrue();
    var served = publisher.current();

    // the warm-up ran inside that publish (a direct executor): still one version, one notice
    assertThat(publisher.current()).isSameAs(served);
    assertThat(notified).containsExactly(new Version(7, 1));
    assertThat(served.rrsets().values())
        .extracting(RRSet::name)
        .noneMatch(n -> n.contains(ChangeWarmUp.NAMESPACE));
    // and the builder's parts are intact: the same state reuses the Service's very RRsets
    var again = builder.build(state);
    assertThat(again.records()).isEqualTo(first.records());
    for (int i = 0; i < first.records().size(); i++) {
      if (first.records().get(i).name().endsWith("web.default.minilb.")) {
        assertThat(again.records().get(i)).isSameAs(first.records().get(i));
      }
    }
    assertThat(publisher.publish(again.zones(), again.records())).isFalse();

    var changed = builder.build(state("10.0.0.2"));
    assertThat(publisher.publish(changed.zones(), changed.records())).isTrue();
    assertThat(publisher.diff(served, publisher.current()).base()).isEqualTo(served.version());
    assertThat(notified).containsExactly(new Version(7, 1), new Version(7, 2));
  }

  private static ClusterState state(String address) {
    var svc =
        new ServiceView(
            "default",
            "web",
            ServiceView.LOAD_BALANCER,
            "minilb",
            false,
            Instant.EPOCH,
            Map.of(),
            List.of(new ServiceView.PortView("http", "TCP", 80)),
            List.of(),
            List.of());
    var slice =
        new SliceView(
            "default",
            "web-x",
            "web",
            "IPv4",
            List.of(new SliceView.EndpointView(List.of(address), true, false, null)),
            List.of(new ServiceView.PortView("http", "TCP", 80)));
    return new ClusterState(
        List.of(svc), List.of(slice), List.of(), List.of(), List.of(), List.of());
  }
}
