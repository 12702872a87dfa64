package io.minilb.controller.records;

import static io.minilb.controller.records.Fixtures.ready;
import static io.minilb.controller.records.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.SliceView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Endpoint addresses and annotation numbers that must not reach DNS as they are. */
class EndpointDataTest {

  private final RecordBuilder builder = new RecordBuilder(ZoneConfig.defaults());

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "IPv4 | 0.0.0.0          | 0.0.0.0 (unspecified)",
        "IPv4 | 0.1.2.3          | 0.1.2.3 (unspecified)",
        "IPv4 | 255.255.255.255  | 255.255.255.255 (broadcast)",
        "IPv4 | 127.0.0.1        | 127.0.0.1 (loopback)",
        "IPv4 | 127.8.9.10       | 127.8.9.10 (loopback)",
        "IPv4 | 169.254.1.1      | 169.254.1.1 (link-local)",
        "IPv4 | 224.0.0.1        | 224.0.0.1 (multicast)",
        "IPv4 | 239.1.2.3        | 239.1.2.3 (multicast)",
        "IPv4 | not-an-ip        | 'not-an-ip' (not an IP address)",
        "IPv4 | 10.244.0.300     | '10.244.0.300' (not an IP address)",
        "IPv4 | 10.244.0.1%eth0  | '10.244.0.1%eth0' (not an IP address)",
        "IPv6 | ::               | :: (unspecified)",
        "IPv6 | ::1              | ::1 (loopback)",
        "IPv6 | fe80::1          | fe80::1 (link-local)",
        "IPv6 | febf::1          | febf::1 (link-local)",
        "IPv6 | ff02::1          | ff02::1 (multicast)",
        "IPv6 | ::ffff:127.0.0.1 | ::ffff:127.0.0.1 (loopback)",
      })
  void anUnusableOrInvalidAddress_isDropped_withAWarningNamingIt(
      String family, String bad, String named) {
    var good = family.equals("IPv4") ? "10.244.0.10" : "fd00:10:244::a";
    var eps = slice("default", "w-1", "web", family, ready(good), ready(bad));

    var build = builder.build(Fixtures.state(List.of(Fixtures.lb("default", "web")), List.of(eps)));

    assertThat(Fixtures.serviceLevel(Fixtures.lines(build.records())))
        .containsExactlyInAnyOrderElementsOf(
            Fixtures.normalized(
                List.of(
                    "minilb. 5 IN NS ns.minilb.",
                    "web.default.minilb. 5 IN "
                        + (family.equals("IPv4") ? "A " : "AAAA ")
                        + good)));
    assertThat(Fixtures.lines(build.records())).hasSize(4); // NS, A, endpoint A, SRV
    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("InvalidAddress");
              assertThat(f.object()).isEqualTo(new ObjectKey("default", "web"));
              assertThat(f.message()).isEqualTo("endpoint addresses not published: " + named);
            });
  }

  @Test
  void severalBadAddresses_makeOneWarning() {
    var eps =
        slice(
            "default",
            "w-1",
            "web",
            "IPv4",
            ready("10.0.0.1"),
            ready("127.0.0.1"),
            ready("224.0.0.1"),
            ready("bad"));

    var build = builder.build(Fixtures.state(List.of(Fixtures.lb("default", "web")), List.of(eps)));

    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .isEqualTo(
                        "endpoint addresses not published: 'bad' (not an IP address), 127.0.0.1"
                            + " (loopback), 224.0.0.1 (multicast)"));
  }

  @Test
  void manyBadAddresses_areNamedUpToTen_andCounted() {
    var eps = new SliceView.EndpointView[1000];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = ready("127.0." + (i / 256) + "." + (i % 256));
    }

    var build =
        builder.build(
            Fixtures.state(
                List.of(Fixtures.lb("default", "web")),
                List.of(slice("default", "w-1", "web", "IPv4", eps))));

    assertThat(build.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.message()).endsWith("and 990 more"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"１０", "٣٠", "+10", "1e1", "10s", "99999999999"})
  void ttlAnnotation_acceptsAsciiDigitsOnly(String ttl) {
    var svc =
        Fixtures.service(
            "default", "web", "LoadBalancer", "minilb", false, Map.of("minilb/ttl", ttl));

    var build =
        builder.build(
            Fixtures.state(
                List.of(svc), List.of(slice("default", "w-1", "web", "IPv4", ready("10.0.0.1")))));

    assertThat(Fixtures.lines(build.records())).contains("web.default.minilb. 5 IN A 10.0.0.1");
    assertThat(build.findings()).extracting(Finding::reason).containsExactly("InvalidTTL");
  }

  @Test
  void ttlAnnotation_withAsciiDigitsAndSpaces_isRead() {
    var svc =
        Fixtures.service(
            "default", "web", "LoadBalancer", "minilb", false, Map.of("minilb/ttl", " 30 "));

    var build =
        builder.build(
            Fixtures.state(
                List.of(svc), List.of(slice("default", "w-1", "web", "IPv4", ready("10.0.0.1")))));

    assertThat(Fixtures.lines(build.records())).contains("web.default.minilb. 30 IN A 10.0.0.1");
    assertThat(build.findings()).isEmpty();
  }

  @Test
  void aFindingsMessage_isCutToTheEventLimit() {
    var f =
        Finding.warning(
            "Service", new io.minilb.controller.view.ObjectKey("a", "b"), "X", "y".repeat(5000));

    assertThat(f.message()).hasSize(Finding.MAX_MESSAGE).endsWith("…");
  }

  @Test
  void unusableStatusAddresses_ofAnIngressOrGateway_areDropped_withAWarningOnTheirOwner() {
    var created = java.time.Instant.parse("2025-01-01T00:00:00Z");
    var ing =
        new io.minilb.controller.view.IngressView(
            "apps",
            "web",
            null,
            created,
            List.of("app.example.com"),
            List.of(),
            List.of("127.0.0.1", "192.0.2.7"));
    var gw =
        new io.minilb.controller.view.GatewayView(
            "infra", "gw", List.of(), List.of("0.0.0.0", "ff02::1"));
    var route =
        new io.minilb.controller.view.RouteView(
            "HTTPRoute",
            "apps",
            "r",
            created,
            List.of("route.example.com"),
            List.of(new ObjectKey("infra", "gw")));
    var state =
        new io.minilb.controller.view.ClusterState(
            List.of(), List.of(), List.of(ing), List.of(gw), List.of(route), List.of());

    var build = builder.build(state);

    assertThat(Fixtures.lines(build.records()))
        .contains("app.example.com. 5 IN A 192.0.2.7")
        .noneMatch(l -> l.contains("127.0.0.1") || l.contains("0.0.0.0") || l.contains("ff02"))
        .noneMatch(l -> l.startsWith("route.example.com."));
    assertThat(build.findings())
        .extracting(f -> f.kind() + " " + f.object() + " " + f.reason() + ": " + f.message())
        .containsExactlyInAnyOrder(
            "Ingress apps/web InvalidAddress: status addresses not published: 127.0.0.1 (loopback)",
            "Gateway infra/gw InvalidAddress: status addresses not published: 0.0.0.0"
                + " (unspecified), ff02::1 (multicast)");
  }
}
