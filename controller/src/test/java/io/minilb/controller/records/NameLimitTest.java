package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.lb;
import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-names}: names are admitted oldest first like records, counted as a resolver's index
 * counts them, so no snapshot within the controller's limits is one every resolver rejects.
 */
class NameLimitTest {

  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void deepHostsWithinEveryRecordLimit_stopAtTheNameLimit_youngestLeftOut() {
    // 340 Services, each with one endpoint and 100 hosts of 16 labels in zones of their own: 3
    // records but 17 names a host, some 35,000 records and 530,000 names in all
    var services = new ArrayList<ServiceView>();
    var slices = new ArrayList<SliceView>();
    for (int s = 0; s < 340; s++) {
      var hosts = new StringJoiner(",");
      for (int h = 0; h < 100; h++) {
        hosts.add("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.u" + s + "x" + h);
      }
      services.add(
          lb("tenant", "s" + s, OLD.plusSeconds(s), Map.of("minilb/host", hosts.toString())));
      slices.add(
          slice(
              "tenant",
              "s" + s + "-x",
              "s" + s,
              "IPv4",
              ready("10.1." + (s >> 8) + "." + (s & 255))));
    }

    var build =
        new RecordBuilder(ZoneConfig.defaults(), Limits.DEFAULTS)
            .build(Fixtures.state(services, slices));

    assertThat(records(build.records())).isLessThanOrEqualTo(Limits.DEFAULTS.records());
    int names = names(build);
    assertThat(names).isLessThanOrEqualTo(Limits.DEFAULTS.names()).isGreaterThan(390_000);
    // the youngest are left out, every older one is served whole
    LeftOut.youngest(
        build, 340, "NameLimitReached", "--max-names (400000)", s -> "o.u" + s + "x99.");
  }

  @Test
  void anObjectWhoseNamesDoNotFit_isLeftOut_youngerOnesThatFitAreServed() {
    var zone = ZoneConfig.defaults();
    var deep = Map.of("minilb/host", "a.b.c.d.e.f.g.h.deep,a.b.c.d.e.f.g.h.deeper");
    var state = LeftOut.oldMiddleYoung("deep", deep, true);
    int all = names(new RecordBuilder(zone, Limits.DEFAULTS).build(state));
    // deep makes 22 names (its name, endpoint, SRV and _tcp, and its hosts' 18), young 4: room
    // for all but deep's last 5, so deep does not fit after old and young does after it
    var limits = new Limits(100, 1_000, 100_000, 10_000, all - 5);

    var build = new RecordBuilder(zone, limits).build(state);

    LeftOut.onlyMiddle(build, "deep", Report.NAME_LIMIT);
    assertThat(names(build)).isLessThanOrEqualTo(limits.names()).isEqualTo(all - 22);
  }

  @Test
  void theDefault_leavesA10kServiceClusterUntouched() {
    // three pods each and a host in two of every hundred: about 92,000 records, 61,000 names
    var state = cluster(10_000, List.of());

    var build = new RecordBuilder(ZoneConfig.defaults(), Limits.DEFAULTS).build(state);
    var unlimited =
        new RecordBuilder(
                ZoneConfig.defaults(), new Limits(100, 1_000, 100_000, 10_000, Snapshot.MAX_NAMES))
            .build(state);

    assertThat(build.dropped()).isEmpty();
    assertThat(build.records()).isEqualTo(unlimited.records());
    assertThat(names(build)).isBetween(50_000, Limits.DEFAULTS.names() / 4);
  }

  /**
   * {@code n} Services of three pods each, in 200 namespaces, with a {@code minilb/host} of two
   * names in two of every hundred, on {@code nodes}.
   */
  static ClusterState cluster(int n, List<NodeView> nodes) {
    var services = new ArrayList<ServiceView>();
    var slices = new ArrayList<SliceView>();
    for (int s = 0; s < n; s++) {
      String ns = "ns" + (s % 200);
      var annotations =
          s % 50 == 0
              ? Map.of("minilb/host", "svc" + s + ".apps.example.com,www.svc" + s + ".example.org")
              : Map.<String, String>of();
      services.add(lb(ns, "svc" + s, OLD.plusSeconds(s), annotations));
      var eps = new SliceView.EndpointView[3];
      for (int e = 0; e < 3; e++) {
        int pod = s * 3 + e;
        eps[e] = ready("10." + (pod % 100) + "." + ((pod / 100) & 255) + "." + (pod / 25_600));
      }
      slices.add(slice(ns, "svc" + s + "-1", "svc" + s, "IPv4", eps));
    }
    return new ClusterState(services, slices, List.of(), List.of(), List.of(), nodes);
  }

  /** Names a resolver's index makes of {@code build}: owners, apexes and all their ancestors. */
  static int names(RecordBuilder.Build build) {
    Set<String> names = new HashSet<>();
    var owners = new ArrayList<String>(build.zones());
    build.records().forEach(r -> owners.add(r.name()));
    for (String owner : owners) {
      String n = owner;
      while (names.add(n) && !n.equals(".")) {
        n = n.indexOf('.') == n.length() - 1 ? "." : n.substring(n.indexOf('.') + 1);
      }
    }
    return names.size();
  }

  private static int records(List<RRSet> sets) {
    return sets.stream().mapToInt(s -> s.rdata().size()).sum();
  }
}
