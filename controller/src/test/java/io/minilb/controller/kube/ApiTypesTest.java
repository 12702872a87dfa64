package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

class ApiTypesTest {

  private final io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization =
      ApiTypes.serialization();

  @Test
  void watchEvents_ofTheWatchedKindsAndStatus_readAsTheirClasses() {
    assertThat(event("v1", "Service")).isInstanceOf(Service.class);
    assertThat(event("discovery.k8s.io/v1", "EndpointSlice")).isInstanceOf(EndpointSlice.class);
    assertThat(event("v1", "Status")).isInstanceOf(Status.class);
  }

  @Test
  void kindsTheControllerDoesNotUse_areNotMapped_soTheirClassesAreNeverLoaded() {
    assertThat(serialization.getRegisteredKubernetesResource("apps/v1", "Deployment")).isNull();
    assertThat(serialization.getRegisteredKubernetesResource("v1", "Service"))
        .isEqualTo(Service.class);
    assertThat(event("apps/v1", "Deployment")).isInstanceOf(GenericKubernetesResource.class);
  }

  private Object event(String apiVersion, String kind) {
    String json =
        "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\""
            + apiVersion
            + "\",\"kind\":\""
            + kind
            + "\",\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"}}}";
    return serialization.unmarshal(json, WatchEvent.class).getObject();
  }
}
