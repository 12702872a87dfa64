package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionStoreTest {

  private final VersionStore<Service> services = new VersionStore<>(Service::new);

  @Test
  void put_returnsTheOldSkeleton_withKeyAndVersionOnly() {
    Service v1 = service("shop", "web", "1");
    String key = services.getKey(v1);

    assertThat(key).isEqualTo("shop/web");
    assertThat(services.put(key, v1)).isNull();
    Service old = services.put(key, service("shop", "web", "2"));

    assertThat(old.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(old.getMetadata().getName()).isEqualTo("web");
    assertThat(old.getMetadata().getResourceVersion()).isEqualTo("1");
    assertThat(old.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(old.getSpec()).isNull();
    assertThat(services.get(key).getMetadata().getResourceVersion()).isEqualTo("2");
  }

  @Test
  void clusterScopedKeys_andMissingVersions_roundTrip() {
    var nodes = new VersionStore<Node>(Node::new);
    Node n = new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build();

    nodes.put(nodes.getKey(n), n);

    Node back = nodes.get("node-1");
    assertThat(back.getMetadata().getNamespace()).isNull();
    assertThat(back.getMetadata().getName()).isEqualTo("node-1");
    assertThat(back.getMetadata().getResourceVersion()).isNull();
    assertThat(nodes.keySet()).containsExactly("node-1");
  }

  @Test
  void remove_forgetsTheObject() {
    services.put("shop/web", service("shop", "web", "1"));

    assertThat(services.remove("shop/web").getMetadata().getName()).isEqualTo("web");
    assertThat(services.remove("shop/web")).isNull();
    assertThat(services.size()).isZero();
    assertThat(services.values()).isEmpty();
  }

  private static Service service(String ns, String name, String version) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withResourceVersion(version)
        .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"))
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .endSpec()
        .build();
  }
}
