package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.resolver.it.Dig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISC dig and Knot kdig, clients nobody here wrote, against a resolver fed by the controller from
 * the demo cluster in {@code deploy/demo}.
 */
class DigIT {

  private static Pipeline p;

  @BeforeAll
  static void start() throws Exception {
    p = new Pipeline();
    ClusterSeed.create(p.client, ClusterSeed.parse(p.client, Path.of("..", "deploy", "demo")));
    p.startController();
    p.startResolver();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                p.resolverSynced()
                    && p.query("web.default.minilb.", org.xbill.DNS.Type.A)
                            .getSection(org.xbill.DNS.Section.ANSWER)
                            .size()
                        == 3);
  }

  @AfterAll
  static void stop() {
    p.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void aServiceAnswersItsReadyPodIps_authoritatively(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "+norec", "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.flags()).contains("qr", "aa").doesNotContain("ra", "tc");
    assertThat(d.answer())
        .containsExactlyInAnyOrder(
            "web.default.minilb. 5 IN A 10.244.0.10",
            "web.default.minilb. 5 IN A 10.244.1.11",
            "web.default.minilb. 5 IN A 10.244.2.12");
    assertThat(d.authority()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void terminatingPods_areNotAnswered(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "mosquitto.automation.minilb", "A");

    assertThat(d.answer())
        .containsExactlyInAnyOrder(
            "mosquitto.automation.minilb. 5 IN A 10.244.0.168",
            "mosquitto.automation.minilb. 5 IN A 10.244.1.103");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void aMissingName_isNxdomainWithTheSoa(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "nope.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NXDOMAIN");
    assertThat(d.flags()).contains("aa");
    assertThat(d.answer()).isEmpty();
    assertThat(d.authority())
        .singleElement()
        .asString()
        .startsWith("minilb. 5 IN SOA ns.minilb. hostmaster.minilb. ")
        .endsWith(" 60 30 3600 5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void anExistingNameWithoutTheType_isNodataWithTheSoa(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "web.default.minilb", "AAAA");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.answer()).isEmpty();
    assertThat(d.authority()).singleElement().asString().startsWith("minilb. 5 IN SOA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void aNamespace_isAnEmptyNonTerminal_notNxdomain(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "automation.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.answer()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void anotherLoadBalancerClass_isNotServed(String tool) throws Exception {
    assertThat(Dig.run(tool, p.dnsPort(), "metallb-web.default.minilb", "A").status())
        .isEqualTo("NXDOMAIN");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void outsideTheZone_isRefused(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "example.com", "A");

    assertThat(d.status()).isEqualTo("REFUSED");
    assertThat(d.flags()).doesNotContain("aa", "ra");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void overTcp_theSameAnswer(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "+tcp", "web.default.minilb", "A");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.answer()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void theApex_hasSoaAndNs(String tool) throws Exception {
    assertThat(Dig.run(tool, p.dnsPort(), "minilb", "NS").answer())
        .containsExactly("minilb. 5 IN NS ns.minilb.");
    assertThat(Dig.run(tool, p.dnsPort(), "minilb", "SOA").answer())
        .singleElement()
        .asString()
        .startsWith("minilb. 5 IN SOA ns.minilb. hostmaster.minilb.");
  }

  @Test
  void mixedCase_isEchoedInTheAnswer() throws Exception {
    Dig d = Dig.run("dig", p.dnsPort(), "WeB.DeFaUlT.MiNiLb", "A");

    assertThat(d.answer())
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).startsWith("WeB.DeFaUlT.MiNiLb. "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void srv_givesTheEndpointsRealPort_andTargetAddressesInAdditional(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "_https._tcp.envoy-gateway.gateway.minilb", "SRV");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.answer())
        .containsExactlyInAnyOrder(
            "_https._tcp.envoy-gateway.gateway.minilb. 5 IN SRV 0 1 10443 10-244-0-80.envoy-gateway.gateway.minilb.",
            "_https._tcp.envoy-gateway.gateway.minilb. 5 IN SRV 0 1 10443 10-244-2-81.envoy-gateway.gateway.minilb.");
    assertThat(d.additional())
        .contains(
            "10-244-0-80.envoy-gateway.gateway.minilb. 5 IN A 10.244.0.80",
            "10-244-2-81.envoy-gateway.gateway.minilb. 5 IN A 10.244.2.81");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void ptr_ofAPodIp_namesTheEndpointAndTheService(String tool) throws Exception {
    Dig d = Dig.run(tool, p.dnsPort(), "-x", "10.244.0.176");

    assertThat(d.status()).isEqualTo("NOERROR");
    assertThat(d.flags()).contains("aa");
    assertThat(d.answer())
        .containsExactlyInAnyOrder(
            "176.0.244.10.in-addr.arpa. 5 IN PTR haproxy-0.internal-ingress.haproxy.minilb.",
            "176.0.244.10.in-addr.arpa. 5 IN PTR internal-ingress.haproxy.minilb.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void ptr_outsideThePodCidrs_isRefused(String tool) throws Exception {
    assertThat(Dig.run(tool, p.dnsPort(), "-x", "192.0.2.1").status()).isEqualTo("REFUSED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void extraNames_fromAnnotationIngressAndGateway_resolveFlattened(String tool) throws Exception {
    assertThat(Dig.run(tool, p.dnsPort(), "mqtt.home.example", "A").answer())
        .containsExactly("mqtt.home.example. 30 IN A 10.244.2.40");
    assertThat(Dig.run(tool, p.dnsPort(), "paperless.home.example", "A").answer())
        .containsExactlyInAnyOrder(
            "paperless.home.example. 5 IN A 10.244.0.176",
            "paperless.home.example. 5 IN A 10.244.1.104");
    assertThat(Dig.run(tool, p.dnsPort(), "docs.wiki.home.example", "A").answer()).hasSize(2);
    assertThat(Dig.run(tool, p.dnsPort(), "grafana.home.example", "A").answer())
        .containsExactlyInAnyOrder(
            "grafana.home.example. 5 IN A 10.244.0.80", "grafana.home.example. 5 IN A 10.244.2.81");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dig", "kdig"})
  void dualStack_answersAaaa(String tool) throws Exception {
    assertThat(Dig.run(tool, p.dnsPort(), "jellyfin.media.minilb", "AAAA").answer())
        .containsExactly("jellyfin.media.minilb. 5 IN AAAA fd00:10:244:1::50");
  }
}
