package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.GatewayView;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.RouteView;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record table of the design, beyond plain A/AAAA: each rule with its edge cases. */
class ClaimsAndEndpointsTest {

  private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant NEW = Instant.parse("2026-01-01T00:00:00Z");
  private final RecordBuilder builder = new RecordBuilder(ZoneConfig.defaults());

  @Test
  void
      namedPorts_getOneSrvPerReadyEndpoint_withTheEndpointsRealPort_andTargetsWithTheirOwnAddresses() {
    var svc =
        svc(
            "default",
            "web",
            OLD,
            Map.of(),
            new ServiceView.PortView("http", "TCP", 80),
            new ServiceView.PortView("", "TCP", 9090));
    var eps =
        new SliceView(
            "default",
            "web-1",
            "web",
            "IPv4",
            List.of(
                new SliceView.EndpointView(List.of("10.244.0.10"), true, false, "web-0"),
                ready("10.244.1.11"),
                new SliceView.EndpointView(List.of("10.244.1.12"), false, false, "web-2")),
            List.of(
                new ServiceView.PortView("http", "TCP", 8080),
                new ServiceView.PortView("", "TCP", 9090)));

    var lines = lines(state(List.of(svc), List.of(eps)));

    assertThat(lines)
        .containsExactlyInAnyOrderElementsOf(
            Fixtures.normalized(
                List.of(
                    "minilb. 5 IN NS ns.minilb.",
                    "web.default.minilb. 5 IN A 10.244.0.10",
                    "web.default.minilb. 5 IN A 10.244.1.11",
                    "web-0.web.default.minilb. 5 IN A 10.244.0.10",
                    "10-244-1-11.web.default.minilb. 5 IN A 10.244.1.11",
                    "_http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 web-0.web.default.minilb.",
                    "_http._tcp.web.default.minilb. 5 IN SRV 0 1 8080 10-244-1-11.web.default.minilb.")));
  }

  @Test
  void dualStack_endpointNamesCarryBothFamilies_whenTheHostnameMatches() {
    var svc = svc("default", "db", OLD, Map.of());
    var v4 =
        new SliceView(
            "default",
            "db-v4",
            "db",
            "IPv4",
            List.of(new SliceView.EndpointView(List.of("10.244.0.5"), true, false, "db-0")),
            List.of());
    var v6 =
        new SliceView(
            "default",
            "db-v6",
            "db",
            "IPv6",
            List.of(new SliceView.EndpointView(List.of("fd00:10:244::5"), true, false, "db-0")),
            List.of());

    var lines = lines(state(List.of(svc), List.of(v4, v6)));

    assertThat(lines)
        .contains(
            Fixtures.normalized(
                    List.of(
                        "db-0.db.default.minilb. 5 IN A 10.244.0.5",
                        "db-0.db.default.minilb. 5 IN AAAA fd00:10:244::5",
                        "db.default.minilb. 5 IN AAAA fd00:10:244::5"))
                .toArray(String[]::new));
  }

  @Test
  void podIpsInsideNodePodCidrs_getPtrsToTheEndpointAndServiceNames_andTheReverseZonesAreServed() {
    var svc = svc("default", "web", OLD, Map.of());
    var eps = slice("default", "web-1", "web", "IPv4", ready("10.244.0.10"), ready("192.0.2.7"));
    var v6 =
        new SliceView(
            "default", "web-6", "web", "IPv6", List.of(ready("fd00:10:244::a")), List.of());
    var nodes =
        List.of(
            new NodeView(
                "a", List.of("10.244.0.0/24", "fd00:10:244::/64"), List.of("192.168.1.30")));

    var build =
        builder.build(
            new ClusterState(
                List.of(svc), List.of(eps, v6), List.of(), List.of(), List.of(), nodes));

    assertThat(build.zones())
        .containsExactlyInAnyOrder(
            "minilb.", "0.244.10.in-addr.arpa.", "0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa.");
    assertThat(Fixtures.lines(build.records()))
        .contains(
            Fixtures.normalized(
                    List.of(
                        "10.0.244.10.in-addr.arpa. 5 IN PTR 10-244-0-10.web.default.minilb.",
                        "10.0.244.10.in-addr.arpa. 5 IN PTR web.default.minilb.",
                        "a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR web.default.minilb."))
                .toArray(String[]::new));
    assertThat(Fixtures.lines(build.records())).noneMatch(l -> l.startsWith("7.2.0.192"));
  }

  @Test
  void hostAnnotation_isTrimmedLowercasedValidated_andEachHostOutsideTheDomainIsAZone() {
    var svc =
        svc(
            "automation",
            "mosquitto",
            OLD,
            Map.of("minilb/host", " MQTT.sko.ai , *.apps.example.com,bad_host!, ,mqtt.sko.ai."));
    var eps = slice("automation", "m-1", "mosquitto", "IPv4", ready("10.244.0.168"));

    var build = builder.build(state(List.of(svc), List.of(eps)));

    assertThat(Fixtures.lines(build.records()))
        .contains(
            Fixtures.normalized(
                    List.of(
                        "mqtt.sko.ai. 5 IN A 10.244.0.168",
                            "*.apps.example.com. 5 IN A 10.244.0.168",
                        "mqtt.sko.ai. 5 IN NS ns.minilb.", "apps.example.com. 5 IN NS ns.minilb."))
                .toArray(String[]::new));
    assertThat(build.zones())
        .containsExactlyInAnyOrder("minilb.", "mqtt.sko.ai.", "apps.example.com.");
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("InvalidHost");
              assertThat(f.message()).contains("bad_host!");
              assertThat(f.object()).isEqualTo(new ObjectKey("automation", "mosquitto"));
            });
  }

  @Test
  void anEditedAnnotation_takesItsOldNamesAway() {
    var eps = slice("default", "w-1", "web", "IPv4", ready("10.244.0.1"));
    var before =
        lines(
            state(
                List.of(svc("default", "web", OLD, Map.of("minilb/host", "a.example.com"))),
                List.of(eps)));
    var after =
        lines(
            state(
                List.of(svc("default", "web", OLD, Map.of("minilb/host", "b.example.com"))),
                List.of(eps)));

    assertThat(before).anyMatch(l -> l.startsWith("a.example.com."));
    assertThat(after)
        .noneMatch(l -> l.startsWith("a.example.com."))
        .anyMatch(l -> l.startsWith("b.example.com."));
  }

  @Test
  void twoServicesClaimingOneHost_theOldestWins_andTheOtherGetsHostConflict() {
    var young = svc("default", "aaa", NEW, Map.of("minilb/host", "shared.example.com"));
    var old = svc("default", "zzz", OLD, Map.of("minilb/host", "shared.example.com"));
    var slices =
        List.of(
            slice("default", "a-1", "aaa", "IPv4", ready("10.0.0.1")),
            slice("default", "z-1", "zzz", "IPv4", ready("10.0.0.2")));

    var build = builder.build(state(List.of(young, old), slices));

    assertThat(Fixtures.lines(build.records()))
        .filteredOn(l -> l.startsWith("shared.") && l.contains(" A "))
        .containsExactly("shared.example.com. 5 IN A 10.0.0.2");
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("HostConflict");
              assertThat(f.object()).isEqualTo(new ObjectKey("default", "aaa"));
              assertThat(f.message()).contains("default/zzz");
            });
  }

  @Test
  void sameAge_tieBreaksOnNamespaceThenName() {
    var b = svc("b", "x", OLD, Map.of("minilb/host", "t.example.com"));
    var a = svc("a", "y", OLD, Map.of("minilb/host", "t.example.com"));
    var slices =
        List.of(
            slice("b", "x-1", "x", "IPv4", ready("10.0.0.1")),
            slice("a", "y-1", "y", "IPv4", ready("10.0.0.2")));

    var build = builder.build(state(List.of(b, a), slices));

    assertThat(Fixtures.lines(build.records())).contains("t.example.com. 5 IN A 10.0.0.2");
    assertThat(build.findings())
        .extracting(Finding::object)
        .containsExactly(new ObjectKey("b", "x"));
  }

  @Test
  void claimingAServiceName_isRefused() {
    var web = svc("default", "web", OLD, Map.of());
    var thief = svc("default", "thief", OLD, Map.of("minilb/host", "web.default.minilb"));
    var slices =
        List.of(
            slice("default", "w-1", "web", "IPv4", ready("10.0.0.1")),
            slice("default", "t-1", "thief", "IPv4", ready("10.0.0.66")));

    var build = builder.build(state(List.of(web, thief), slices));

    assertThat(Fixtures.lines(build.records()))
        .filteredOn(l -> l.startsWith("web.default.minilb."))
        .containsExactly("web.default.minilb. 5 IN A 10.0.0.1");
    assertThat(build.findings()).extracting(Finding::reason).containsExactly("HostRefused");
  }

  @Test
  void ttlAnnotation_setsEveryRecordOfTheService_andABadValueFallsBackWithAWarning() {
    var eps = slice("default", "w-1", "web", "IPv4", ready("10.0.0.1"));
    for (String bad : List.of("abc", "0", "3601", "-5", "")) {
      var build =
          builder.build(
              state(List.of(svc("default", "web", OLD, Map.of("minilb/ttl", bad))), List.of(eps)));
      assertThat(Fixtures.lines(build.records()))
          .as(bad)
          .contains("web.default.minilb. 5 IN A 10.0.0.1");
      assertThat(build.findings())
          .as(bad)
          .extracting(Finding::reason)
          .containsExactly("InvalidTTL");
    }
    var good =
        builder.build(
            state(
                List.of(
                    svc(
                        "default",
                        "web",
                        OLD,
                        Map.of("minilb/ttl", "30", "minilb/host", "w.example.com"))),
                List.of(eps)));
    assertThat(Fixtures.lines(good.records()))
        .contains(
            "web.default.minilb. 30 IN A 10.0.0.1",
            "10-0-0-1.web.default.minilb. 30 IN A 10.0.0.1",
            "w.example.com. 30 IN A 10.0.0.1");
  }

  @Test
  void ingressHosts_resolveToTheServiceItsStatusNames_flattened_includingTlsHosts() {
    var ctrl = svc("haproxy", "ingress", OLD, Map.of());
    var eps =
        slice("haproxy", "i-1", "ingress", "IPv4", ready("10.244.19.176"), ready("10.244.1.104"));
    var ing =
        new IngressView(
            "apps",
            "paperless",
            "haproxy",
            OLD,
            List.of("paperless.sko.ai", "*.wild.sko.ai", "tls-only.sko.ai"),
            List.of("ingress.haproxy.minilb"),
            List.of());

    var lines =
        lines(
            new ClusterState(
                List.of(ctrl), List.of(eps), List.of(ing), List.of(), List.of(), List.of()));

    assertThat(lines)
        .contains(
            "paperless.sko.ai. 5 IN A 10.244.1.104", "paperless.sko.ai. 5 IN A 10.244.19.176",
            "*.wild.sko.ai. 5 IN A 10.244.1.104", "tls-only.sko.ai. 5 IN A 10.244.19.176");
    assertThat(lines).noneMatch(l -> l.contains("CNAME"));
  }

  @Test
  void ingressStatusIps_areUsedAsIs_andUnservedHostnamesAreIgnored() {
    var byIp =
        new IngressView(
            "apps",
            "a",
            null,
            OLD,
            List.of("ip.example.com"),
            List.of(),
            List.of("192.0.2.10", "2001:db8::10"));
    var foreign =
        new IngressView(
            "apps",
            "b",
            null,
            OLD,
            List.of("foreign.example.com"),
            List.of("lb.elsewhere.net"),
            List.of());

    var lines =
        lines(
            new ClusterState(
                List.of(), List.of(), List.of(byIp, foreign), List.of(), List.of(), List.of()));

    assertThat(lines)
        .contains(
            Fixtures.normalized(
                    List.of(
                        "ip.example.com. 5 IN A 192.0.2.10",
                        "ip.example.com. 5 IN AAAA 2001:db8::10"))
                .toArray(String[]::new));
    assertThat(lines).noneMatch(l -> l.startsWith("foreign."));
  }

  @Test
  void ingressClassFilter_readsOnlyThatClass() {
    var filtered =
        new RecordBuilder(new ZoneConfig("minilb", "minilb", 5, null, false, "internal"));
    var in =
        new IngressView(
            "a", "in", "internal", OLD, List.of("in.example.com"), List.of(), List.of("192.0.2.1"));
    var out =
        new IngressView(
            "a", "out", "public", OLD, List.of("out.example.com"), List.of(), List.of("192.0.2.2"));

    var lines =
        Fixtures.lines(
            filtered
                .build(
                    new ClusterState(
                        List.of(), List.of(), List.of(in, out), List.of(), List.of(), List.of()))
                .records());

    assertThat(lines)
        .contains("in.example.com. 5 IN A 192.0.2.1")
        .noneMatch(l -> l.startsWith("out."));
  }

  @Test
  void gatewayRoutes_resolveThroughTheirParentGatewaysStatusAddresses() {
    var gwSvc = svc("gw", "envoy", OLD, Map.of());
    var eps = slice("gw", "e-1", "envoy", "IPv4", ready("10.244.2.2"));
    var byName = new GatewayView("gw", "internal", List.of("envoy.gw.minilb"), List.of());
    var byIp = new GatewayView("gw", "edge", List.of(), List.of("192.0.2.44"));
    var http =
        new RouteView(
            "HTTPRoute",
            "apps",
            "site",
            OLD,
            List.of("site.example.com"),
            List.of(new ObjectKey("gw", "internal")));
    var tls =
        new RouteView(
            "TLSRoute",
            "apps",
            "db",
            OLD,
            List.of("db.example.com"),
            List.of(new ObjectKey("gw", "edge")));
    var dangling =
        new RouteView(
            "GRPCRoute",
            "apps",
            "x",
            OLD,
            List.of("x.example.com"),
            List.of(new ObjectKey("gw", "missing")));

    var lines =
        lines(
            new ClusterState(
                List.of(gwSvc),
                List.of(eps),
                List.of(),
                List.of(byName, byIp),
                List.of(http, tls, dangling),
                List.of()));

    assertThat(lines)
        .contains("site.example.com. 5 IN A 10.244.2.2", "db.example.com. 5 IN A 192.0.2.44")
        .noneMatch(l -> l.startsWith("x.example.com."));
  }

  @Test
  void claimClassless_servesLoadBalancersWithoutAClass() {
    var classless = new RecordBuilder(new ZoneConfig("minilb", "minilb", 5, null, true, null));
    var none = Fixtures.service("default", "n", "LoadBalancer", null, false, Map.of());
    var other = Fixtures.service("default", "o", "LoadBalancer", "other", false, Map.of());
    var slices =
        List.of(
            slice("default", "n-1", "n", "IPv4", ready("10.0.0.1")),
            slice("default", "o-1", "o", "IPv4", ready("10.0.0.2")));

    var lines =
        Fixtures.lines(classless.build(slicesState(List.of(none, other), slices)).records());

    assertThat(lines)
        .contains("n.default.minilb. 5 IN A 10.0.0.1")
        .noneMatch(l -> l.startsWith("o.default"));
  }

  @Test
  void nsAddresses_publishGlueForAnInZoneNsName_only() throws Exception {
    var glue =
        List.of(
            java.net.InetAddress.getByName("192.168.1.53"),
            java.net.InetAddress.getByName("fd00::53"));
    var inZone =
        new RecordBuilder(new ZoneConfig("minilb", "minilb", 5, "ns1.minilb", false, null, glue));
    var outside =
        new RecordBuilder(
            new ZoneConfig("minilb", "minilb", 5, "dns.example.net", false, null, glue));

    assertThat(Fixtures.lines(inZone.build(state(List.of(), List.of())).records()))
        .containsExactlyInAnyOrderElementsOf(
            Fixtures.normalized(
                List.of(
                    "minilb. 5 IN NS ns1.minilb.",
                    "ns1.minilb. 5 IN A 192.168.1.53",
                    "ns1.minilb. 5 IN AAAA fd00::53")));
    assertThat(Fixtures.lines(outside.build(state(List.of(), List.of())).records()))
        .containsExactly("minilb. 5 IN NS dns.example.net.");
  }

  private List<String> lines(ClusterState s) {
    return Fixtures.lines(builder.build(s).records());
  }

  private static ClusterState state(List<ServiceView> services, List<SliceView> slices) {
    return Fixtures.state(services, slices);
  }

  private static ClusterState slicesState(List<ServiceView> services, List<SliceView> slices) {
    return Fixtures.state(services, slices);
  }

  private static ServiceView svc(
      String ns,
      String name,
      Instant created,
      Map<String, String> annotations,
      ServiceView.PortView... ports) {
    return new ServiceView(
        ns,
        name,
        "LoadBalancer",
        "minilb",
        false,
        created,
        annotations,
        List.of(ports),
        List.of(),
        List.of());
  }
}
