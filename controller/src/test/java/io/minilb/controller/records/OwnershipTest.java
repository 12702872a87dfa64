package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.lb;
import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.RouteView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names no annotation, Ingress or route may claim, however old the claimant. */
class OwnershipTest {

  private static final Instant OLDEST = Instant.parse("2020-01-01T00:00:00Z");
  private final RecordBuilder builder = new RecordBuilder(ZoneConfig.defaults());

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "minilb                    | the zone apex is reserved",
        "MiniLB.                   | the zone apex is reserved",
        "ns.minilb                 | the name server name ns.minilb is reserved",
        "web.default.minilb        | belong to Services",
        "x.web.default.minilb      | belong to Services",
        "10-244-0-10.web.default.minilb | belong to Services",
        "*.default.minilb          | belong to Services",
        "nothing.here.minilb       | belong to Services",
        "default.minilb            | default is a namespace",
        "10.0.244.10.in-addr.arpa  | names under arpa are reserved",
        "0.244.10.in-addr.arpa     | names under arpa are reserved",
        "*.in-addr.arpa            | names under arpa are reserved",
        "a.0.0.0.d.f.ip6.arpa      | names under arpa are reserved",
      })
  void aReservedName_isRefusedWithTheRule_andTheObjectsOtherNamesStillPublish(
      String host, String rule) {
    var web = lb("default", "web", Instant.parse("2026-01-01T00:00:00Z"), Map.of());
    var thief = lb("tools", "thief", OLDEST, Map.of("minilb/host", host + ", ok.example.com"));
    var nodes = List.of(new NodeView("a", List.of("10.244.0.0/24"), List.of("192.168.1.30")));
    var state =
        new ClusterState(
            List.of(web, thief),
            List.of(
                slice("default", "w-1", "web", "IPv4", ready("10.244.0.10")),
                slice("tools", "t-1", "thief", "IPv4", ready("10.244.0.66"))),
            List.of(),
            List.of(),
            List.of(),
            nodes);

    var build = builder.build(state);

    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("HostRefused");
              assertThat(f.object()).isEqualTo(new ObjectKey("tools", "thief"));
              assertThat(f.message()).contains(": refused: ").contains(rule);
            });
    var lines = Fixtures.lines(build.records());
    assertThat(lines).contains("ok.example.com. 5 IN A 10.244.0.66");
    assertThat(lines)
        .as("the thief's address appears only under its own names")
        .filteredOn(l -> l.endsWith(" 10.244.0.66") || l.contains("thief"))
        .allMatch(
            l ->
                l.startsWith("ok.example.com.")
                    || l.contains("thief.tools.minilb.")
                    || l.startsWith("66.0.244.10.in-addr.arpa."));
    assertThat(build.zones()).doesNotContain("in-addr.arpa.", "arpa.", "default.minilb.");
  }

  @Test
  void theApexAndNsName_refusedToAnOldService_keepTheRealNsAndGlue() throws Exception {
    var glue = List.of(java.net.InetAddress.getByName("192.168.1.53"));
    var zone = new ZoneConfig("minilb", "minilb", 5, null, false, null, glue);
    var thief =
        lb("default", "thief", OLDEST, Map.of("minilb/host", "minilb, ns.minilb, default.minilb"));

    var build =
        new RecordBuilder(zone)
            .build(
                Fixtures.state(
                    List.of(thief),
                    List.of(slice("default", "t-1", "thief", "IPv4", ready("10.0.0.66")))));

    assertThat(Fixtures.lines(build.records()))
        .filteredOn(l -> l.startsWith("minilb.") || l.startsWith("ns.minilb."))
        .containsExactlyInAnyOrder("minilb. 5 IN NS ns.minilb.", "ns.minilb. 5 IN A 192.168.1.53");
    assertThat(build.findings())
        .as("one Event per rule, each naming its hosts")
        .extracting(Finding::reason, Finding::message)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "HostRefused", "minilb: refused: the zone apex is reserved"),
            org.assertj.core.groups.Tuple.tuple(
                "HostRefused", "ns.minilb: refused: the name server name ns.minilb is reserved"),
            org.assertj.core.groups.Tuple.tuple(
                "HostRefused",
                "default.minilb: refused: default is a namespace: its name holds the names of its"
                    + " Services"));
  }

  @Test
  void aSingleLabelNameInTheZone_thatIsNoNamespace_canStillBeClaimed() {
    var svc = lb("default", "grafana", OLDEST, Map.of("minilb/host", "grafana.minilb"));

    var build =
        builder.build(
            Fixtures.state(
                List.of(svc),
                List.of(slice("default", "g-1", "grafana", "IPv4", ready("10.0.0.7")))));

    assertThat(build.findings()).isEmpty();
    assertThat(Fixtures.lines(build.records())).contains("grafana.minilb. 5 IN A 10.0.0.7");
  }

  @Test
  void namesAboveTheApex_andNamesCoveringAnOutsideNsName_areRefused() {
    var zone = new ZoneConfig("minilb.home.example", "minilb", 5, "ns.example.net", false, null);
    var svc =
        lb(
            "default",
            "x",
            OLDEST,
            Map.of(
                "minilb/host",
                "home.example, *.home.example, ns.example.net, *.example.net,"
                    + " *.minilb.home.example"));

    var build =
        new RecordBuilder(zone)
            .build(
                Fixtures.state(
                    List.of(svc),
                    List.of(slice("default", "x-1", "x", "IPv4", ready("10.0.0.8")))));

    assertThat(build.zones()).containsExactly("minilb.home.example.");
    assertThat(build.findings())
        .extracting(Finding::message)
        .containsExactlyInAnyOrder(
            "home.example, *.home.example: refused: the name is above the zone apex"
                + " minilb.home.example",
            "ns.example.net, *.example.net: refused: the name server name ns.example.net is"
                + " reserved",
            "*.minilb.home.example: refused: a wildcard at the zone apex would cover the name"
                + " server and every namespace");
  }

  @Test
  void ingressesAndRoutes_followTheSameRules_withTheEventOnThemselves() {
    var ctrl = lb("haproxy", "ingress", OLDEST, Map.of());
    var ing =
        new IngressView(
            "apps",
            "evil",
            null,
            OLDEST,
            List.of("minilb", "site.example.com"),
            List.of("ingress.haproxy.minilb"),
            List.of());
    var gw =
        new io.minilb.controller.view.GatewayView(
            "gw", "g", List.of("ingress.haproxy.minilb"), List.of());
    var route =
        new RouteView(
            "HTTPRoute",
            "apps",
            "r",
            OLDEST,
            List.of("1.0.168.192.in-addr.arpa"),
            List.of(new ObjectKey("gw", "g")));

    var build =
        builder.build(
            new ClusterState(
                List.of(ctrl),
                List.of(slice("haproxy", "i-1", "ingress", "IPv4", ready("10.0.0.9"))),
                List.of(ing),
                List.of(gw),
                List.of(route),
                List.of()));

    assertThat(build.findings())
        .extracting(Finding::kind, Finding::object, Finding::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "Ingress", new ObjectKey("apps", "evil"), "HostRefused"),
            org.assertj.core.groups.Tuple.tuple(
                "HTTPRoute", new ObjectKey("apps", "r"), "HostRefused"));
    assertThat(Fixtures.lines(build.records()))
        .contains("site.example.com. 5 IN A 10.0.0.9")
        .noneMatch(l -> l.startsWith("minilb. 5 IN A") || l.contains("in-addr.arpa"));
  }

  @Test
  void nonAsciiNames_areInvalid_evenWhenTheyLowerCaseToAscii() {
    // U+212A KELVIN SIGN lower-cases to an ASCII 'k'
    var svc = lb("default", "k", OLDEST, Map.of("minilb/host", "\u212Aube.example.com, ｗｅｂ.com"));

    var build =
        builder.build(
            Fixtures.state(
                List.of(svc), List.of(slice("default", "k-1", "k", "IPv4", ready("10.0.0.3")))));

    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("InvalidHost");
              assertThat(f.message()).contains("are not valid DNS names");
            });
    assertThat(Fixtures.lines(build.records())).noneMatch(l -> l.startsWith("kube."));
  }
}
