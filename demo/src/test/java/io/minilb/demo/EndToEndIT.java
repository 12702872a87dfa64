package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** CRUD mock API → controller → real gRPC → resolver on 127.0.0.1:0 → DNS queries. */
class EndToEndIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private Pipeline p;

  @BeforeEach
  void start() throws Exception {
    p = new Pipeline();
    p.startController();
    p.startResolver();
  }

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void aServiceLifecycle_isVisibleInDns_andSurvivesAControllerRestart() throws Exception {
    p.client.resource(service("default", "web", "minilb")).create();
    p.client.resource(slice("default", "web-1", "web", "10.244.0.10", "10.244.1.11")).create();

    await("name answers")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(addresses("web.default.minilb."))
                    .containsExactlyInAnyOrder("10.244.0.10", "10.244.1.11"));
    await("status written")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        p.client
                            .services()
                            .inNamespace("default")
                            .withName("web")
                            .get()
                            .getStatus()
                            .getLoadBalancer()
                            .getIngress())
                    .singleElement()
                    .satisfies(i -> assertThat(i.getHostname()).isEqualTo("web.default.minilb")));

    p.client
        .resource(slice("default", "web-1", "web", "10.244.0.10", "10.244.1.11", "10.244.2.12"))
        .update();
    await("scaled up")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(addresses("web.default.minilb.")).hasSize(3));

    p.client.services().inNamespace("default").withName("web").delete();
    await("deleted → NXDOMAIN")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(p.query("web.default.minilb.", Type.A).getRcode())
                    .isEqualTo(Rcode.NXDOMAIN));

    p.client.resource(service("default", "api", "minilb")).create();
    p.client.resource(slice("default", "api-1", "api", "10.244.0.30")).create();
    await().atMost(WAIT).until(() -> addresses("api.default.minilb.").size() == 1);

    p.stopController();
    p.client.resource(slice("default", "api-1", "api", "10.244.0.31")).update();
    p.client.resource(service("default", "late", "minilb")).create();
    p.client.resource(slice("default", "late-1", "late", "10.244.0.40")).create();
    assertThat(addresses("api.default.minilb."))
        .as("the resolver keeps answering from its last snapshot while the controller is away")
        .containsExactly("10.244.0.30");

    p.startController();
    await("changes made during the outage arrive")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(addresses("api.default.minilb.")).containsExactly("10.244.0.31");
              assertThat(addresses("late.default.minilb.")).containsExactly("10.244.0.40");
            });
  }

  @Test
  void servicesOfAnotherClass_orNotLoadBalancers_areNeitherServedNorTouched() throws Exception {
    p.client.resource(service("default", "ours", "minilb")).create();
    p.client.resource(slice("default", "ours-1", "ours", "10.244.0.1")).create();
    p.client.resource(service("default", "theirs", "metallb.io/metallb")).create();
    p.client.resource(slice("default", "theirs-1", "theirs", "10.244.0.2")).create();

    await().atMost(WAIT).until(() -> addresses("ours.default.minilb.").size() == 1);

    assertThat(p.query("theirs.default.minilb.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    Service theirs = p.client.services().inNamespace("default").withName("theirs").get();
    assertThat(
            theirs.getStatus() == null
                || theirs.getStatus().getLoadBalancer() == null
                || theirs.getStatus().getLoadBalancer().getIngress() == null
                || theirs.getStatus().getLoadBalancer().getIngress().isEmpty())
        .isTrue();
  }

  @Test
  void statusIsReplacedNotAppended_andWrittenOnlyWhenItDiffers() throws Exception {
    var stale =
        new ServiceBuilder(service("default", "web", "minilb"))
            .withNewStatus()
            .withNewLoadBalancer()
            .addNewIngress()
            .withIp("192.0.2.1")
            .endIngress()
            .addNewIngress()
            .withHostname("old.example")
            .endIngress()
            .endLoadBalancer()
            .endStatus()
            .build();
    ClusterSeed.createWithStatus(p.client, stale);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        p.client
                            .services()
                            .inNamespace("default")
                            .withName("web")
                            .get()
                            .getStatus()
                            .getLoadBalancer()
                            .getIngress())
                    .singleElement()
                    .satisfies(
                        i -> {
                          assertThat(i.getHostname()).isEqualTo("web.default.minilb");
                          assertThat(i.getIp()).isNull();
                        }));
    // Status is written after create (as on a real API server), so the controller may have
    // written once for the status-less object and once for the stale status; never again after.
    int writes = p.statusWrites.size();
    p.client.resource(slice("default", "web-1", "web", "10.244.0.1")).create();
    await().atMost(WAIT).until(() -> addresses("web.default.minilb.").size() == 1);

    assertThat(p.statusWrites)
        .hasSize(writes)
        .hasSizeBetween(1, 2)
        .containsOnly("default/web=[web.default.minilb]");
  }

  @Test
  void aServiceThatStopsQualifying_losesItsHostname() throws Exception {
    p.client.resource(service("default", "web", "minilb")).create();
    await().atMost(WAIT).until(() -> hostnames("web").equals(List.of("web.default.minilb")));

    p.client
        .services()
        .inNamespace("default")
        .withName("web")
        .edit(
            s -> {
              s.getSpec().setLoadBalancerClass("other.example/lb");
              return s;
            });

    await().atMost(WAIT).until(() -> hostnames("web").isEmpty());
  }

  @Test
  void statusWriteConflicts_areRetriedWithAFreshRead() throws Exception {
    var conflicts = new java.util.concurrent.atomic.AtomicInteger();
    p.api.addFault(
        new MockApiServer.Fault(
            r ->
                r.getMethod().equals("PUT")
                    && r.getPath().endsWith("/services/web/status")
                    && conflicts.incrementAndGet() <= 2,
            409,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409}"));

    p.client.resource(service("default", "web", "minilb")).create();

    await().atMost(WAIT).until(() -> hostnames("web").equals(List.of("web.default.minilb")));
    assertThat(conflicts.get()).isGreaterThanOrEqualTo(3);
    assertThat(
            p.api.requests().stream()
                .filter(r -> r.startsWith("GET /api/v1/namespaces/default/services/web"))
                .count())
        .as("each attempt re-reads the Service")
        .isGreaterThanOrEqualTo(3);
  }

  private List<String> hostnames(String name) {
    Service s = p.client.services().inNamespace("default").withName(name).get();
    if (s.getStatus() == null
        || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return s.getStatus().getLoadBalancer().getIngress().stream()
        .map(io.fabric8.kubernetes.api.model.LoadBalancerIngress::getHostname)
        .toList();
  }

  private Set<String> addresses(String name) throws Exception {
    Message m = p.query(name, Type.A);
    return m.getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }

  /** A node with one pod CIDR, as the node IPAM controller leaves it. */
  static Node node(String name, String podCidr) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr)
        .withPodCIDRs(podCidr)
        .endSpec()
        .build();
  }

  static Service service(String ns, String name, String lbClass) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass(lbClass)
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  static EndpointSlice slice(String ns, String name, String service, String... ips) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("kubernetes.io/service-name", service)
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(
            Arrays.stream(ips)
                .map(
                    ip ->
                        new EndpointBuilder()
                            .withAddresses(List.of(ip))
                            .withNewConditions()
                            .withReady(true)
                            .endConditions()
                            .build())
                .toList())
        .build();
  }
}
