package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.lb;
import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.SliceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Per-object and per-snapshot limits: a bounded, stable part publishes, with a Warning. */
class LimitsTest {

  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void aHostAnnotationListing25000Names_servesTheFirstHundred_withOneWarning() {
    String names =
        String.join(
            ",", IntStream.range(0, 25_000).mapToObj(i -> "h" + i + ".example.com").toList());
    var svc = lb("default", "big", OLD, Map.of("minilb/host", names));

    var build =
        new RecordBuilder(ZoneConfig.defaults())
            .build(
                Fixtures.state(
                    List.of(svc),
                    List.of(slice("default", "b-1", "big", "IPv4", ready("10.0.0.1")))));

    var hosts =
        Fixtures.lines(build.records()).stream()
            .filter(l -> l.contains(".example.com. 5 IN A "))
            .toList();
    assertThat(hosts).hasSize(100).contains("h0.example.com. 5 IN A 10.0.0.1");
    assertThat(hosts).contains("h99.example.com. 5 IN A 10.0.0.1");
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("TooManyHosts");
              assertThat(f.message()).contains("--max-hosts-per-object").contains("24900 more");
            });
    assertThat(build.limited()).extracting(Finding::reason).containsExactly("TooManyHosts");
    assertThat(build.dropped()).isEmpty();
  }

  @Test
  void anIngressOverTheHostLimit_keepsItsFirstDistinctHosts() {
    var limits = new Limits(2, 1000, 100_000, 10_000);
    var ctrl = lb("haproxy", "ingress", OLD, Map.of());
    var ing =
        new IngressView(
            "apps",
            "many",
            null,
            OLD,
            List.of("a.example.com", "a.example.com", "b.example.com", "c.example.com"),
            List.of("ingress.haproxy.minilb"),
            List.of());

    var build =
        new RecordBuilder(ZoneConfig.defaults(), limits)
            .build(
                new ClusterState(
                    List.of(ctrl),
                    List.of(slice("haproxy", "i-1", "ingress", "IPv4", ready("10.0.0.9"))),
                    List.of(ing),
                    List.of(),
                    List.of(),
                    List.of()));

    assertThat(Fixtures.lines(build.records()))
        .contains("a.example.com. 5 IN A 10.0.0.9", "b.example.com. 5 IN A 10.0.0.9")
        .noneMatch(l -> l.startsWith("c.example.com."));
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("Ingress");
              assertThat(f.object()).isEqualTo(new ObjectKey("apps", "many"));
              assertThat(f.reason()).isEqualTo("TooManyHosts");
            });
  }

  @Test
  void aServiceWith5000ReadyAddresses_publishesAStableThousand_everywhereItsNamesGo() {
    var slices = new ArrayList<SliceView>();
    for (int s = 0; s < 50; s++) {
      var eps = new SliceView.EndpointView[100];
      for (int i = 0; i < 100; i++) {
        eps[i] = ready("10.244." + s + "." + (i + 1));
      }
      slices.add(slice("default", "big-" + s, "big", "IPv4", eps));
    }
    var svc = lb("default", "big", OLD, Map.of("minilb/host", "big.example.com"));
    var builder = new RecordBuilder(ZoneConfig.defaults());

    var build = builder.build(Fixtures.state(List.of(svc), slices));
    var shuffled = new ArrayList<>(slices);
    Collections.shuffle(shuffled, new Random(7));
    var again = builder.build(Fixtures.state(List.of(svc), shuffled));

    var lines = Fixtures.lines(build.records());
    var published =
        lines.stream().filter(l -> l.startsWith("big.default.minilb. 5 IN A ")).toList();
    assertThat(published).hasSize(1000);
    assertThat(lines.stream().filter(l -> l.startsWith("big.example.com. 5 IN A "))).hasSize(1000);
    assertThat(lines.stream().filter(l -> l.startsWith("_http._tcp.big."))).hasSize(1000);
    assertThat(published)
        .as("spread over the slices (nodes), not the lowest addresses")
        .anyMatch(l -> l.contains("10.244.49."));
    assertThat(again.records())
        .as("stable whatever the order of the slices")
        .isEqualTo(build.records());
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("TooManyEndpoints");
              assertThat(f.message())
                  .isEqualTo(
                      "more than 1000 endpoint addresses are ready; 1000 of them are published"
                          + " (--max-endpoints-per-service)");
            });
    assertThat(build.limited()).hasSize(1);
  }

  @Test
  void atTheRecordLimit_theYoungestObjectsAreLeftOut_andANewcomerTakesNothingFromOlderOnes() {
    // the apex NS and SOA, then each Service: A at its name, A at its endpoint name, one SRV
    var limits = new Limits(100, 1000, 9, 10_000);
    var builder = new RecordBuilder(ZoneConfig.defaults(), limits);
    var a = lb("default", "a", Instant.parse("2025-01-01T00:00:00Z"), Map.of());
    var b = lb("default", "b", Instant.parse("2025-02-01T00:00:00Z"), Map.of());
    var newcomer = lb("aaa", "first-by-name", Instant.parse("2025-03-01T00:00:00Z"), Map.of());
    var slices =
        List.of(
            slice("default", "a-1", "a", "IPv4", ready("10.0.0.1")),
            slice("default", "b-1", "b", "IPv4", ready("10.0.0.2")),
            slice("aaa", "n-1", "first-by-name", "IPv4", ready("10.0.0.3")));

    var before = builder.build(Fixtures.state(List.of(a, b), slices));
    var after = builder.build(Fixtures.state(List.of(newcomer, b, a), slices));

    assertThat(before.findings()).isEmpty();
    assertThat(after.records()).isEqualTo(before.records());
    assertThat(after.dropped())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("RecordLimitReached");
              assertThat(f.object()).isEqualTo(new ObjectKey("aaa", "first-by-name"));
              assertThat(f.message()).contains("--max-records (9)");
            });
  }

  @Test
  void theRecordLimit_leavesOutAnOversizedObject_butAdmitsSmallerYoungerOnes() {
    var builder = new RecordBuilder(ZoneConfig.defaults(), new Limits(100, 1000, 6, 10_000));
    var big = lb("default", "big", OLD, Map.of("minilb/host", "x.example.com, y.example.com"));
    var small = lb("default", "small", Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    var slices =
        List.of(
            slice("default", "b-1", "big", "IPv4", ready("10.0.0.1")),
            slice("default", "s-1", "small", "IPv4", ready("10.0.0.2")));

    var build = builder.build(Fixtures.state(List.of(big, small), slices));

    assertThat(Fixtures.lines(build.records()))
        .contains("small.default.minilb. 5 IN A 10.0.0.2")
        .noneMatch(l -> l.contains("big") || l.contains("example.com"));
    assertThat(build.dropped())
        .extracting(Finding::object)
        .containsExactly(new ObjectKey("default", "big"));
  }

  @Test
  void theRecordLimit_countsTheNsAndSoaOfEveryZoneAnObjectCreates() {
    // 40 names, each its own zone: 40 A, 40 NS, 40 SOA, not 40 records
    var limits = new Limits(100, 1000, 50, 10_000);
    String names =
        String.join(",", IntStream.range(0, 40).mapToObj(i -> "h" + i + ".example").toList());
    var svc = lb("default", "zones", OLD, Map.of("minilb/host", names));

    var build =
        new RecordBuilder(ZoneConfig.defaults(), limits)
            .build(
                Fixtures.state(
                    List.of(svc),
                    List.of(slice("default", "z-1", "zones", "IPv4", ready("10.0.0.1")))));

    int soas = build.zones().size();
    int records = build.records().stream().mapToInt(r -> r.rdata().size()).sum();
    assertThat(records + soas).isLessThanOrEqualTo(limits.records());
    assertThat(build.dropped())
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).isEqualTo("RecordLimitReached"));
  }

  @Test
  void limits_belowOne_areRejectedNamingTheFlag() {
    assertThatThrownBy(() -> new Limits(0, 1, 1, 1)).hasMessageContaining("--max-hosts-per-object");
    assertThatThrownBy(() -> new Limits(1, 0, 1, 1))
        .hasMessageContaining("--max-endpoints-per-service");
    assertThatThrownBy(() -> new Limits(1, 1, -5, 1)).hasMessageContaining("--max-records");
    assertThatThrownBy(() -> new Limits(1, 1, 1, 0))
        .hasMessageContaining("--max-records-per-object");
    assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 0)).hasMessageContaining("--max-names");
    assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 1, 0))
        .hasMessageContaining("--max-snapshot-bytes");
  }

  @Test
  void aByteLimitOverWhatTheControllerCanSend_isRejected() {
    int most = 28 << 20;
    assertThat(new Limits(1, 1, 1, 1, 1, most).snapshotBytes()).isEqualTo(most);
    assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 1, most + 1))
        .hasMessageContaining("--max-snapshot-bytes must be at most 29360128");
    assertThat(Limits.DEFAULTS.snapshotBytes()).isEqualTo(24 << 20);
  }

  @Test
  void aNameLimitAboveWhatAResolverHolds_isRejected() {
    assertThat(new Limits(1, 1, 1, 1, 524_288).names()).isEqualTo(524_288);
    assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 524_289))
        .hasMessageContaining("--max-names must be at most 524288");
  }
}
