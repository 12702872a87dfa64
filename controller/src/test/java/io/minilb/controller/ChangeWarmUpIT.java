package io.minilb.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.minilb.controller.kube.CrudApiServer;
import io.minilb.snapshot.RRSet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The change warm-up in a running controller, against the CRUD mock API: it runs once the
 * leadership has published, once only, and what the stream serves and the status writes are those
 * of the cluster alone.
 */
class ChangeWarmUpIT {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final KubernetesMockServer server = CrudApiServer.create();
  private final List<String> statusWrites = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final ch.qos.logback.classic.Logger warmUpLog =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(ChangeWarmUp.class);
  private KubernetesClient client;
  private Controller controller;

  @BeforeEach
  void start() {
    server.init(LOOPBACK, 0);
    client = server.createClient();
    warmUpLog.setLevel(Level.DEBUG);
    logged.start();
    warmUpLog.addAppender(logged);
  }

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    warmUpLog.detachAppender(logged);
    client.close();
    server.destroy();
  }

  @Test
  void aNewLeader_warmsUpOnceAfterItsFirstPublish_andServesOnlyTheCluster() throws Exception {
    client.services().inNamespace("default").resource(service()).create();
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .resource(slice("10.0.0.1"))
        .create();
    controller =
        new Controller(
                client,
                ControllerConfig.builder()
                    .ephemeralPorts(LOOPBACK)
                    .identity("warm-up-test")
                    .timing(
                        new Leadership.Timing(
                            Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500)))
                    .onLostLeadership(() -> {})
                    .statusListener((key, d) -> statusWrites.add(key + "=" + d.hostnames()))
                    .build())
            .start();

    await().atMost(Duration.ofSeconds(20)).until(() -> warmUps() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !statusWrites.isEmpty());
    assertThat(controller.snapshotSequence()).isEqualTo(1);

    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .resource(slice("10.0.0.2"))
        .update();
    await().atMost(Duration.ofSeconds(10)).until(() -> controller.snapshotSequence() == 2);

    assertThat(warmUps()).isEqualTo(1);
    assertThat(statusWrites).containsExactly("default/web=[web.default.minilb]");
    assertThat(servedNames()).contains("web.default.minilb.");
    assertThat(servedNames()).noneMatch(n -> n.contains(ChangeWarmUp.NAMESPACE));
  }

  private long warmUps() {
    return logged.list.stream()
        .filter(e -> e.getFormattedMessage().startsWith("change path warmed up"))
        .count();
  }

  private List<String> servedNames() {
    return controller.publisher().current().rrsets().values().stream().map(RRSet::name).toList();
  }

  private static io.fabric8.kubernetes.api.model.Service service() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("web")
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass("minilb")
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice slice(String address) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("web-x")
        .withNamespace("default")
        .addToLabels("kubernetes.io/service-name", "web")
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(new EndpointBuilder().withAddresses(address).build())
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(80)
        .endPort()
        .build();
  }
}
