package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.lb;
import static io.minilb.controller.records.Fixtures.notReady;
import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.service;
import static io.minilb.controller.records.Fixtures.slice;
import static io.minilb.controller.records.Fixtures.terminating;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordBuilderTest {

  private static final String APEX = "minilb. 5 IN NS ns.minilb.";

  record Case(
      String description,
      List<ServiceView> services,
      List<SliceView> slices,
      List<String> expected) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no services: only the apex NS", List.of(), List.of(), List.of(APEX)),
        new Case(
            "ready endpoints of a minilb service become A records, sorted",
            List.of(lb("default", "web")),
            List.of(
                slice(
                    "default", "web-1", "web", "IPv4", ready("10.244.1.11"), ready("10.244.0.10"))),
            List.of(
                APEX,
                "web.default.minilb. 5 IN A 10.244.0.10",
                "web.default.minilb. 5 IN A 10.244.1.11")),
        new Case(
            "not-ready and terminating endpoints are left out",
            List.of(lb("default", "web")),
            List.of(
                slice(
                    "default",
                    "web-1",
                    "web",
                    "IPv4",
                    ready("10.244.0.10"),
                    notReady("10.244.0.11"),
                    terminating("10.244.0.12"))),
            List.of(APEX, "web.default.minilb. 5 IN A 10.244.0.10")),
        new Case(
            "publishNotReadyAddresses publishes not-ready but never terminating endpoints",
            List.of(service("default", "web", "LoadBalancer", "minilb", true, Map.of())),
            List.of(
                slice(
                    "default",
                    "web-1",
                    "web",
                    "IPv4",
                    ready("10.244.0.10"),
                    notReady("10.244.0.11"),
                    terminating("10.244.0.12"))),
            List.of(
                APEX,
                "web.default.minilb. 5 IN A 10.244.0.10",
                "web.default.minilb. 5 IN A 10.244.0.11")),
        new Case(
            "several slices merge and duplicates drop",
            List.of(lb("default", "web")),
            List.of(
                slice(
                    "default", "web-1", "web", "IPv4", ready("10.244.0.10"), ready("10.244.0.11")),
                slice(
                    "default", "web-2", "web", "IPv4", ready("10.244.0.11"), ready("10.244.2.1"))),
            List.of(
                APEX,
                "web.default.minilb. 5 IN A 10.244.0.10",
                "web.default.minilb. 5 IN A 10.244.0.11",
                "web.default.minilb. 5 IN A 10.244.2.1")),
        new Case(
            "IPv6 slices give AAAA beside the A of a dual-stack service",
            List.of(lb("default", "dual")),
            List.of(
                slice("default", "dual-v4", "dual", "IPv4", ready("10.244.0.20")),
                slice("default", "dual-v6", "dual", "IPv6", ready("fd00:10:244::20"))),
            List.of(
                APEX,
                "dual.default.minilb. 5 IN A 10.244.0.20",
                "dual.default.minilb. 5 IN AAAA fd00:10:244::20")),
        new Case(
            "FQDN slices are ignored",
            List.of(lb("default", "ext")),
            List.of(slice("default", "ext-1", "ext", "FQDN", ready("db.example.com"))),
            List.of(APEX)),
        new Case(
            "another load-balancer class is not ours",
            List.of(service("default", "m", "LoadBalancer", "metallb.io/metallb", false, Map.of())),
            List.of(slice("default", "m-1", "m", "IPv4", ready("10.244.0.50"))),
            List.of(APEX)),
        new Case(
            "a ClusterIP service is not ours, whatever its class",
            List.of(service("default", "c", "ClusterIP", "minilb", false, Map.of())),
            List.of(slice("default", "c-1", "c", "IPv4", ready("10.244.0.60"))),
            List.of(APEX)),
        new Case(
            "a LoadBalancer without a class is not ours by default",
            List.of(service("default", "n", "LoadBalancer", null, false, Map.of())),
            List.of(slice("default", "n-1", "n", "IPv4", ready("10.244.0.70"))),
            List.of(APEX)),
        new Case(
            "a slice of another namespace's same-named service does not leak",
            List.of(lb("default", "web")),
            List.of(slice("other", "web-1", "web", "IPv4", ready("10.244.9.9"))),
            List.of(APEX)),
        new Case(
            "a service with no ready endpoints has no records",
            List.of(lb("default", "web")),
            List.of(slice("default", "web-1", "web", "IPv4", notReady("10.244.0.10"))),
            List.of(APEX)),
        new Case(
            "addresses that are not IP literals are skipped",
            List.of(lb("default", "web")),
            List.of(slice("default", "web-1", "web", "IPv4", ready("not-an-ip", "10.244.0.10"))),
            List.of(APEX, "web.default.minilb. 5 IN A 10.244.0.10")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void build_matchesTable(Case c) {
    var builder = new RecordBuilder(ZoneConfig.defaults());

    assertThat(
            Fixtures.serviceLevel(
                Fixtures.lines(Fixtures.records(builder, c.services(), c.slices()))))
        .containsExactlyInAnyOrderElementsOf(Fixtures.normalized(c.expected()));
  }

  @Test
  void build_usesTheConfiguredDomainTtlAndNsName() {
    var builder =
        new RecordBuilder(
            new ZoneConfig("LB.Home.Arpa", "minilb", 30, "dns.lb.home.arpa", false, null));

    var lines =
        Fixtures.serviceLevel(
            Fixtures.lines(
                Fixtures.records(
                    builder,
                    List.of(lb("default", "web")),
                    List.of(slice("default", "web-1", "web", "IPv4", ready("10.0.0.1"))))));

    assertThat(lines)
        .containsExactly(
            "lb.home.arpa. 30 IN NS dns.lb.home.arpa.",
            "web.default.lb.home.arpa. 30 IN A 10.0.0.1");
  }

  @Test
  void build_sharesOneRdataPerAddress_betweenTheServiceSetAndItsEndpointName() {
    var records =
        Fixtures.records(
            new RecordBuilder(ZoneConfig.defaults()),
            List.of(lb("default", "web")),
            List.of(slice("default", "web-1", "web", "IPv4", ready("10.0.0.1"))));

    var a =
        records.stream()
            .filter(r -> r.type() == org.xbill.DNS.Type.A && r.name().endsWith("default.minilb."))
            .toList();
    assertThat(a).hasSize(2); // web.default.minilb. and the endpoint's own name
    assertThat(a.get(0).rdata().get(0)).isSameAs(a.get(1).rdata().get(0));
  }

  @Test
  void build_isDeterministic_whateverTheInputOrder() {
    var builder = new RecordBuilder(ZoneConfig.defaults());
    var services = List.of(lb("a", "x"), lb("b", "y"));
    var slices =
        List.of(
            slice("a", "x-1", "x", "IPv4", ready("10.0.0.2"), ready("10.0.0.1")),
            slice("b", "y-1", "y", "IPv4", ready("10.0.1.1")));

    assertThat(Fixtures.records(builder, services, slices))
        .isEqualTo(Fixtures.records(builder, reversed(services), reversed(slices)));
  }

  @Test
  void soa_carriesTheSerialAndTtlAsNegativeTtl() {
    var soa =
        Fixtures.lines(List.of(new RecordBuilder(ZoneConfig.defaults()).soa("minilb.", 1234)));

    assertThat(soa)
        .containsExactly("minilb. 5 IN SOA ns.minilb. hostmaster.minilb. 1234 60 30 3600 5");
  }

  private static <T> List<T> reversed(List<T> list) {
    var copy = new java.util.ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  @Test
  void build_whenOneServicesNamesAreTooLong_dropsOnlyThatServiceWithAWarning() {
    var zone =
        new ZoneConfig("a".repeat(60) + "." + "b".repeat(60), "minilb", 5, null, false, null);
    var long63 = "x".repeat(63);
    var bad = lb(long63, long63);
    var good = lb("default", "web");
    var state =
        Fixtures.state(
            List.of(bad, good),
            List.of(
                slice(long63, "bad-1", long63, "IPv4", ready("10.0.0.1")),
                slice("default", "web-1", "web", "IPv4", ready("10.0.0.2"))));

    var build = new RecordBuilder(zone).build(state);

    assertThat(Fixtures.lines(build.records()))
        .contains("web.default." + zone.domain() + " 5 IN A 10.0.0.2")
        .noneMatch(l -> l.contains("10.0.0.1"));
    assertThat(build.dropped())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo(bad.key());
              assertThat(f.type()).isEqualTo(Finding.Type.Warning);
              assertThat(f.reason()).isEqualTo("RecordsInvalid");
            });
    assertThat(build.findings()).containsAll(build.dropped());
  }
}
