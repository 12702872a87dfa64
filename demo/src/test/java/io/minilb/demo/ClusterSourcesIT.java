package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Ingress, Gateway API (with and without its CRDs) and Events, through the CRUD mock API server.
 */
class ClusterSourcesIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final Pipeline p = new Pipeline();

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void ingressHosts_resolveToTheServiceNamedInTheirStatus() throws Exception {
    start();
    p.client.resource(EndToEndIT.service("haproxy", "ingress", "minilb")).create();
    p.client
        .resource(
            EndToEndIT.slice("haproxy", "ingress-1", "ingress", "10.244.0.176", "10.244.1.104"))
        .create();
    var ingress =
        new IngressBuilder()
            .withNewMetadata()
            .withNamespace("docs")
            .withName("paperless")
            .endMetadata()
            .withNewSpec()
            .addNewRule()
            .withHost("paperless.home.example")
            .endRule()
            .addNewTl()
            .withHosts("secure.home.example")
            .endTl()
            .endSpec()
            .withNewStatus()
            .withNewLoadBalancer()
            .addNewIngress()
            .withHostname("ingress.haproxy.minilb")
            .endIngress()
            .endLoadBalancer()
            .endStatus()
            .build();
    ClusterSeed.createWithStatus(p.client, ingress);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(addresses("paperless.home.example."))
                  .containsExactlyInAnyOrder("10.244.0.176", "10.244.1.104");
              assertThat(addresses("secure.home.example.")).hasSize(2);
            });

    p.client.resource(EndToEndIT.slice("haproxy", "ingress-1", "ingress", "10.244.0.176")).update();
    await("follows the service's endpoints")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(addresses("paperless.home.example.")).containsExactly("10.244.0.176"));
  }

  @Test
  void withoutGatewayCrds_theControllerServes_andPicksThemUpWhenInstalled() throws Exception {
    p.api.setGatewayApi(false);
    start();
    p.client.resource(EndToEndIT.service("gw", "envoy", "minilb")).create();
    p.client.resource(EndToEndIT.slice("gw", "envoy-1", "envoy", "10.244.0.80")).create();
    await("serves without the Gateway API")
        .atMost(WAIT)
        .until(() -> addresses("envoy.gw.minilb.").size() == 1);
    assertThat(p.controller.ready()).isTrue();

    p.api.setGatewayApi(true);
    var gw =
        p.client
            .genericKubernetesResources(ctx("gateways", "Gateway"))
            .inNamespace("gw")
            .resource(gateway())
            .create();
    gw.setAdditionalProperty("status", gateway().getAdditionalProperties().get("status"));
    p.client
        .genericKubernetesResources(ctx("gateways", "Gateway"))
        .inNamespace("gw")
        .resource(gw)
        .updateStatus();
    p.client
        .genericKubernetesResources(ctx("httproutes", "HTTPRoute"))
        .inNamespace("apps")
        .resource(route())
        .create();
    p.controller.discoverGatewayApi();

    await("route hostnames resolve through the gateway")
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(addresses("grafana.home.example.")).containsExactly("10.244.0.80"));
  }

  @Test
  void badAnnotationsAndConflicts_becomeWarningEvents_andAssignmentsNormalOnes() throws Exception {
    start();
    var old =
        new ServiceBuilder(EndToEndIT.service("default", "first", "minilb"))
            .editMetadata()
            .withAnnotations(Map.of("minilb/host", "shared.example.com, not a host"))
            .endMetadata()
            .build();
    p.client.resource(old).create();
    await().atMost(WAIT).until(() -> !p.statusWrites.isEmpty());
    var young =
        new ServiceBuilder(EndToEndIT.service("default", "second", "minilb"))
            .editMetadata()
            .withAnnotations(Map.of("minilb/host", "shared.example.com", "minilb/ttl", "forever"))
            .endMetadata()
            .build();
    p.client.resource(young).create();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events())
                    .contains(
                        "Warning InvalidHost Service/first",
                        "Warning HostConflict Service/second",
                        "Warning InvalidTTL Service/second",
                        "Normal HostnameAssigned Service/first",
                        "Normal HostnameAssigned Service/second"));
    assertThat(events().stream().filter(e -> e.startsWith("Warning InvalidHost")).count())
        .as("repeated reconciles do not repeat an event")
        .isEqualTo(1);
  }

  @Test
  void aServiceWhoseRecordsCannotBeBuilt_isDroppedWithAWarning_andEveryOtherServiceUpdates()
      throws Exception {
    start();
    p.client.resource(EndToEndIT.service("default", "web", "minilb")).create();
    p.client.resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.10")).create();
    await()
        .atMost(WAIT)
        .until(() -> addresses("web.default.minilb.").equals(Set.of("10.244.0.10")));

    // With ".default.minilb." this owner is over 255 octets; the mock API does not check lengths.
    String tooLong = "x".repeat(240);
    p.client.resource(EndToEndIT.service("default", tooLong, "minilb")).create();
    p.client.resource(EndToEndIT.slice("default", "bad-1", tooLong, "10.244.0.66")).create();
    p.client.resource(EndToEndIT.slice("default", "web-1", "web", "10.244.0.11")).update();
    p.client.resource(EndToEndIT.service("default", "api", "minilb")).create();
    p.client.resource(EndToEndIT.slice("default", "api-1", "api", "10.244.0.20")).create();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(addresses("web.default.minilb.")).containsExactly("10.244.0.11");
              assertThat(addresses("api.default.minilb.")).containsExactly("10.244.0.20");
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(events()).contains("Warning RecordsInvalid Service/" + tooLong));
    var metrics =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:"
                                + p.controller.httpAddress().getPort()
                                + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains(
            "minilb_controller_objects_dropped_total{kind=\"Service\",reason=\"RecordsInvalid\"}");
  }

  private void start() throws Exception {
    p.startController();
    p.startResolver();
  }

  private Set<String> events() {
    return p.client.v1().events().inNamespace("default").list().getItems().stream()
        .map(
            (Event e) ->
                e.getType()
                    + " "
                    + e.getReason()
                    + " "
                    + e.getInvolvedObject().getKind()
                    + "/"
                    + e.getInvolvedObject().getName())
        .collect(Collectors.toSet());
  }

  private Set<String> addresses(String name) throws Exception {
    return p.query(name, Type.A).getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }

  private static ResourceDefinitionContext ctx(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("gateway.networking.k8s.io")
        .withVersion("v1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }

  private static GenericKubernetesResource gateway() {
    var g = new GenericKubernetesResource();
    g.setApiVersion("gateway.networking.k8s.io/v1");
    g.setKind("Gateway");
    g.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withNamespace("gw")
            .withName("internal")
            .build());
    g.setAdditionalProperty("spec", Map.of("gatewayClassName", "envoy"));
    g.setAdditionalProperty(
        "status",
        Map.of("addresses", List.of(Map.of("type", "Hostname", "value", "envoy.gw.minilb"))));
    return g;
  }

  private static GenericKubernetesResource route() {
    var r = new GenericKubernetesResource();
    r.setApiVersion("gateway.networking.k8s.io/v1");
    r.setKind("HTTPRoute");
    r.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withNamespace("apps")
            .withName("grafana")
            .build());
    r.setAdditionalProperty(
        "spec",
        Map.of(
            "hostnames", List.of("grafana.home.example"),
            "parentRefs", List.of(Map.of("name", "internal", "namespace", "gw"))));
    return r;
  }
}
