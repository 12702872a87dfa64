package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {

  private final MockApiServer api = new MockApiServer().start(InetAddress.getLoopbackAddress(), 0);
  private final NamespacedKubernetesClient client = api.client();

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  @Test
  void find_answersLikeAScanOfTheStore_throughRandomPutsAndRemoves() {
    var store = new ObjectStore();
    var random = new Random(15);
    var keys = new ArrayList<AttributeSet>();
    for (int step = 0; step < 2_000; step++) {
      AttributeSet key = key("ns" + random.nextInt(3), "o" + random.nextInt(40), random.nextInt(2));
      if (random.nextInt(3) == 0 && store.containsKey(key)) {
        store.remove(key);
        keys.remove(key);
      } else {
        store.put(key, "{\"step\":" + step + "}");
        if (!keys.contains(key)) {
          keys.add(key);
        }
      }
      AttributeSet query = query("ns" + random.nextInt(3), "o" + random.nextInt(40), step % 2);
      assertThat(store.find(query)).as("step %d: %s", step, query).isEqualTo(scan(store, query));
    }
    store.clear();
    assertThat(store.find(query("ns0", "o1", 0))).isNull();
  }

  @Test
  void names_onlyForExactNameQueries() {
    assertThat(ObjectStore.names(query("ns", "web", 0))).isTrue();
    assertThat(ObjectStore.names(new AttributeSet(new Attribute("plural", "services")))).isFalse();
    assertThat(ObjectStore.names(new AttributeSet(new Attribute("name", "*")))).isFalse();
    assertThat(
            ObjectStore.names(
                new AttributeSet(new Attribute("name", List.of("a"), AttributeType.EXISTS))))
        .isFalse();
  }

  @Test
  void apiServer_readsReplacesDeletesAndRecreatesOneObjectAmongMany_byNamespaceAndName() {
    for (int i = 0; i < 30; i++) {
      client.services().inNamespace("a").resource(service("a", "s" + i)).create();
      client.services().inNamespace("b").resource(service("b", "s" + i)).create();
    }

    assertThatThrownBy(
            () -> client.services().inNamespace("a").resource(service("a", "s7")).create())
        .isInstanceOf(KubernetesClientException.class)
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(409);

    Service b7 = client.services().inNamespace("b").withName("s7").get();
    b7.getMetadata().getLabels().put("changed", "yes");
    client.services().inNamespace("b").resource(b7).update();
    Service status = client.services().inNamespace("b").withName("s7").get();
    status.setStatus(
        new ServiceStatusBuilder()
            .withNewLoadBalancer()
            .withIngress(new LoadBalancerIngressBuilder().withHostname("x.minilb").build())
            .endLoadBalancer()
            .build());
    client.services().inNamespace("b").resource(status).updateStatus();

    assertThat(client.services().inNamespace("b").withName("s7").get().getMetadata().getLabels())
        .containsEntry("changed", "yes");
    assertThat(
            client
                .services()
                .inNamespace("b")
                .withName("s7")
                .get()
                .getStatus()
                .getLoadBalancer()
                .getIngress())
        .extracting(i -> i.getHostname())
        .containsExactly("x.minilb");
    assertThat(client.services().inNamespace("a").withName("s7").get().getMetadata().getLabels())
        .doesNotContainKey("changed");

    client.services().inNamespace("a").withName("s7").delete();
    assertThat(client.services().inNamespace("a").withName("s7").get()).isNull();
    assertThat(client.services().inNamespace("b").withName("s7").get()).isNotNull();
    assertThat(client.services().inNamespace("a").list().getItems()).hasSize(29);

    client.services().inNamespace("a").resource(service("a", "s7")).create();
    assertThat(client.services().inNamespace("a").withName("s7").get()).isNotNull();
    assertThat(client.services().inAnyNamespace().list().getItems()).hasSize(60);
  }

  private static Service service(String ns, String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .endSpec()
        .build();
  }

  private static AttributeSet key(String ns, String name, int kind) {
    return new AttributeSet(
        new Attribute("plural", kind == 0 ? "services" : "endpointslices"),
        new Attribute("namespace", ns),
        new Attribute("name", name));
  }

  private static AttributeSet query(String ns, String name, int kind) {
    return key(ns, name, kind);
  }

  private static Map.Entry<AttributeSet, String> scan(ObjectStore store, AttributeSet query) {
    return store.entrySet().stream()
        .filter(e -> e.getKey().matches(query))
        .findFirst()
        .map(e -> Map.entry(e.getKey(), e.getValue()))
        .orElse(null);
  }
}
