package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The informers against the CRUD mock API: what they keep of the objects they watch. */
class InformersIT {

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final String BIG = "x".repeat(100 * 1024);

  private final KubernetesMockServer server = CrudApiServer.create();
  private KubernetesClient client;
  private ClusterViews views;
  private Informers informers;

  @BeforeEach
  void start() {
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    views = new ClusterViews(() -> {});
  }

  @AfterEach
  void stop() {
    if (informers != null) {
      informers.close();
    }
    client.close();
    server.destroy();
  }

  @Test
  void objectsWithHugeAppliedAnnotationsAndManagedFields_leaveNothingOfThemInTheInformers() {
    client.resource(appliedService("web")).create();
    client.resource(appliedSlice("web")).create();
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-1")
                .withAnnotations(Map.of(LAST_APPLIED, BIG))
                .withManagedFields(managed())
                .endMetadata()
                .withNewSpec()
                .withPodCIDR("10.244.1.0/24")
                .endSpec()
                .build())
        .create();

    informers = new Informers(client, views);
    await().atMost(Duration.ofSeconds(10)).until(informers::synced);

    List<HasMetadata> cached = informers.cached();
    assertThat(cached).hasSize(3);
    for (HasMetadata o : cached) {
      String json = Serialization.asJson(o);
      assertThat(json)
          .doesNotContain(BIG.substring(0, 64))
          .doesNotContain(LAST_APPLIED)
          .doesNotContain("fieldsV1");
      assertThat(json.length()).as(json).isLessThan(512);
    }
    ServiceView web = views.state().services().get(0);
    assertThat(web.annotations()).containsOnlyKeys("minilb/hostname");
    assertThat(views.state().slices().get(0).endpoints()).hasSize(1);
  }

  @Test
  void changesAndDeletions_stillReachTheViews_withOnlyVersionsCached() {
    client.resource(appliedService("web")).create();
    client.resource(appliedSlice("web")).create();
    informers = new Informers(client, views);
    await().atMost(Duration.ofSeconds(10)).until(informers::synced);

    client
        .services()
        .inNamespace("shop")
        .withName("web")
        .edit(
            s ->
                new ServiceBuilder(s)
                    .editMetadata()
                    .addToAnnotations("minilb/ttl", "7")
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> views.state().services().get(0).annotations().containsKey("minilb/ttl"));

    client.discovery().v1().endpointSlices().inNamespace("shop").withName("web-abc").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> views.state().slices().isEmpty());
    client.services().inNamespace("shop").withName("web").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> views.state().services().isEmpty());
    assertThat(informers.cached()).isEmpty();
    assertThat(views.state().services())
        .extracting(ServiceView::key)
        .doesNotContain(new ObjectKey("shop", "web"));
  }

  @Test
  void gatewayDiscovery_whenTheGroupIsNotInstalled_costsOneRequestPerRound() {
    informers = new Informers(client, views);
    await().atMost(Duration.ofSeconds(10)).until(informers::synced);
    int before = server.getRequestCount();

    informers.discoverGatewayApi();

    assertThat(server.getRequestCount() - before).isEqualTo(1);
    assertThat(informers.cached()).isEmpty();
  }

  private static io.fabric8.kubernetes.api.model.Service appliedService(String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(name)
        .withAnnotations(Map.of(LAST_APPLIED, BIG, "minilb/hostname", name + ".example.com"))
        .withManagedFields(managed())
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass("minilb")
        .addNewPort()
        .withName("http")
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice appliedSlice(
      String service) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName(service + "-abc")
        .withLabels(Map.of(Views.SERVICE_NAME_LABEL, service))
        .withAnnotations(Map.of(LAST_APPLIED, BIG))
        .withManagedFields(managed())
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses("10.0.0.1")
        .endEndpoint()
        .build();
  }

  private static ManagedFieldsEntry managed() {
    return new ManagedFieldsEntryBuilder()
        .withManager("kubectl-client-side-apply")
        .withOperation("Update")
        .withApiVersion("v1")
        .withFieldsType("FieldsV1")
        .withNewFieldsV1()
        .addToAdditionalProperties(
            "f:metadata", Map.of("f:annotations", Map.of("f:" + LAST_APPLIED, Map.of())))
        .endFieldsV1()
        .build();
  }
}
