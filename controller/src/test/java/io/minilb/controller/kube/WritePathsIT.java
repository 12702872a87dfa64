package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.minilb.controller.records.Finding;
import io.minilb.controller.status.DesiredStatus;
import io.minilb.controller.status.StatusListener;
import io.minilb.controller.view.ObjectKey;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every other request the controller makes (InformersIT has the watches), against the CRUD mock API
 * and on the controller's own class path, which holds only the models of its kinds: a model class a
 * request needs and the build left out fails here, not in a cluster. The Lease's requests are in
 * {@code LeadershipIT}.
 */
class WritePathsIT {

  private final KubernetesMockServer server = CrudApiServer.create();
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void anEvent_isCreatedForAFinding() {
    try (var events = EventRecorder.forCluster(client, "ctl-0", System::currentTimeMillis)) {
      events.record(
          Finding.warning("Service", new ObjectKey("default", "web"), "InvalidHost", "bad host"));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !client.v1().events().inNamespace("default").list().getItems().isEmpty());
    }
    assertThat(client.v1().events().inNamespace("default").list().getItems().get(0).getReason())
        .isEqualTo("InvalidHost");
  }

  @Test
  void aServicesStatus_isWrittenThroughTheStatusSubresource() {
    Service created =
        client
            .services()
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withNamespace("default")
                    .withName("web")
                    .endMetadata()
                    .withNewSpec()
                    .withType("LoadBalancer")
                    .endSpec()
                    .build())
            .create();
    var desired = new DesiredStatus(List.of(), List.of("192.0.2.10"));
    var written = new CountDownLatch(1);
    StatusListener listener = (service, status) -> written.countDown();

    try (var writer = new StatusWriter(client, listener)) {
      writer.ensure(Views.of(created), desired);
      await().atMost(Duration.ofSeconds(10)).until(() -> written.getCount() == 0);
    }
    Service live = client.services().inNamespace("default").withName("web").get();
    assertThat(live.getStatus().getLoadBalancer().getIngress())
        .extracting(i -> i.getIp())
        .containsExactly("192.0.2.10");
  }

  @Test
  void nodes_areListedIntoViews() {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
        .create();

    assertThat(client.nodes().list().getItems().stream().map(Views::of).toList()).hasSize(1);
  }
}
