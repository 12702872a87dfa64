package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-records-per-object}: SRV records are addresses × named ports and host names are
 * hosts × addresses, so one object under the other limits could still fill the snapshot. With the
 * default limits throughout.
 */
class RecordsPerObjectTest {

  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant YOUNG = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void anOldServiceWithManyNamedPorts_publishesAStableSubset_andYoungerServicesStillFit() {
    // 1,000 endpoints × (A, endpoint A, 90 SRV) = 92,000 records: under --max-records alone
    var ports = IntStream.range(0, 90).mapToObj(i -> port("p" + i, 9000 + i)).toList();
    var old = svc("default", "old", OLD, Map.of(), ports);
    var slices = new ArrayList<SliceView>(endpoints("default", "old", 1_000, 10, ports));
    var services = new ArrayList<ServiceView>(List.of(old));
    for (int i = 0; i < 10; i++) {
      // 1,000 × (A, endpoint A, SRV) = 3,000 records each
      var http = List.of(port("http", 8080));
      services.add(svc("young", "y" + i, YOUNG, Map.of(), http));
      slices.addAll(endpoints("young", "y" + i, 1_000, 11 + i, http));
    }
    var builder = new RecordBuilder(ZoneConfig.defaults());

    var build = builder.build(Fixtures.state(services, slices));
    var shuffled = new ArrayList<>(slices);
    Collections.shuffle(shuffled, new Random(3));
    var again = builder.build(Fixtures.state(services, shuffled));

    var lines = Fixtures.lines(build.records());
    var oldLines =
        lines.stream().filter(l -> l.split(" ")[0].endsWith("old.default.minilb.")).toList();
    assertThat(oldLines).hasSizeLessThanOrEqualTo(10_000).hasSizeGreaterThan(9_000);
    long published =
        oldLines.stream().filter(l -> l.startsWith("old.default.minilb. 5 IN A ")).count();
    assertThat(published).isGreaterThan(90);
    assertThat(oldLines.stream().filter(l -> l.startsWith("_p89._tcp.old.default.minilb.")))
        .as("every published endpoint keeps all its SRV records")
        .hasSize((int) published);
    for (int i = 0; i < 10; i++) {
      String name = "y" + i + ".young.minilb. 5 IN A ";
      assertThat(lines.stream().filter(l -> l.startsWith(name))).as(name).hasSize(1_000);
    }
    assertThat(build.dropped()).isEmpty();
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo(new ObjectKey("default", "old"));
              assertThat(f.reason()).isEqualTo("TooManyRecords");
              assertThat(f.message()).contains("--max-records-per-object");
            });
    assertThat(build.limited()).extracting(Finding::reason).containsExactly("TooManyRecords");
    assertThat(again.records())
        .as("stable whatever the order of the slices")
        .isEqualTo(build.records());
  }

  @Test
  void aServiceWithAHundredHosts_keepsEveryHost_onFewerAddresses() {
    String names =
        String.join(",", IntStream.range(0, 100).mapToObj(i -> "h" + i + ".example.com").toList());
    var http = List.of(port("http", 8080));
    var svc = svc("default", "wide", OLD, Map.of("minilb/host", names), http);

    var build =
        new RecordBuilder(ZoneConfig.defaults())
            .build(Fixtures.state(List.of(svc), endpoints("default", "wide", 1_000, 10, http)));

    var lines = Fixtures.lines(build.records());
    var own =
        lines.stream()
            .filter(l -> l.startsWith("wide.default.minilb. 5 IN A "))
            .map(l -> l.substring(l.lastIndexOf(' ')))
            .toList();
    assertThat(own).isNotEmpty().hasSizeLessThan(1_000);
    for (int i = 0; i < 100; i++) {
      String host = "h" + i + ".example.com. 5 IN A ";
      assertThat(
              lines.stream()
                  .filter(l -> l.startsWith(host))
                  .map(l -> l.substring(l.lastIndexOf(' '))))
          .as(host)
          .containsExactlyElementsOf(own);
    }
    // the object's records with the NS and SOA of its hundred zones
    long objectRecords = lines.stream().filter(l -> !l.startsWith("minilb.")).count() + 100;
    assertThat(objectRecords).isLessThanOrEqualTo(10_000);
    assertThat(build.findings()).extracting(Finding::reason).containsExactly("TooManyRecords");
  }

  @Test
  void anIngressWhoseHostsTimesAddressesExceedTheLimit_servesItsFirstHostsThatFit() {
    var http = List.of(port("http", 8080));
    var ctrl = svc("haproxy", "ingress", OLD, Map.of(), http);
    var hosts = IntStream.range(0, 100).mapToObj(i -> "h" + i + ".apps.example").toList();
    var ing =
        new IngressView(
            "apps", "many", null, YOUNG, hosts, List.of("ingress.haproxy.minilb"), List.of());

    var build =
        new RecordBuilder(ZoneConfig.defaults())
            .build(
                new ClusterState(
                    List.of(ctrl),
                    endpoints("haproxy", "ingress", 1_000, 10, http),
                    List.of(ing),
                    List.of(),
                    List.of(),
                    List.of()));

    var lines = Fixtures.lines(build.records());
    // each host: 1,000 A records, and the NS and SOA of its zone
    assertThat(lines.stream().filter(l -> l.contains(".apps.example. 5 IN A "))).hasSize(9 * 1_000);
    assertThat(lines).anyMatch(l -> l.startsWith("h8.apps.example. 5 IN A "));
    assertThat(lines).noneMatch(l -> l.startsWith("h9.apps.example. "));
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("Ingress");
              assertThat(f.reason()).isEqualTo("TooManyRecords");
            });
    assertThat(build.dropped()).isEmpty();
  }

  /** {@code count} ready endpoints with {@code ports}, in slices of 100 under 10.{net}.0.0/16. */
  static List<SliceView> endpoints(
      String ns, String service, int count, int net, List<ServiceView.PortView> ports) {
    var out = new ArrayList<SliceView>();
    for (int s = 0; s * 100 < count; s++) {
      var eps = new ArrayList<SliceView.EndpointView>();
      for (int i = s * 100; i < Math.min(count, s * 100 + 100); i++) {
        eps.add(ready("10." + net + "." + (i / 250) + "." + (i % 250 + 1)));
      }
      out.add(new SliceView(ns, service + "-" + s, service, "IPv4", eps, ports));
    }
    return out;
  }

  static ServiceView.PortView port(String name, int port) {
    return new ServiceView.PortView(name, "TCP", port);
  }

  static ServiceView svc(
      String ns,
      String name,
      Instant created,
      Map<String, String> annotations,
      List<ServiceView.PortView> ports) {
    return new ServiceView(
        ns,
        name,
        "LoadBalancer",
        "minilb",
        false,
        created,
        annotations,
        ports,
        List.of(),
        List.of());
  }
}
