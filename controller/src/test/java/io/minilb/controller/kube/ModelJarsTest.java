package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The controller's class path holds only the fabric8 model jars of the kinds it reads and writes:
 * fabric8 loads every model class those jars list when it builds a serialization, so any other
 * model jar costs metaspace for nothing (docs/PERFORMANCE.md, Memory → Controller).
 */
class ModelJarsTest {

  private static final String RESOURCE_LIST =
      "META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource";

  // apps, batch, certificates and extensions only because the client registers handlers for some
  // of their kinds when it is built, autoscaling for the Scale in every resource operation.

  @Test
  void onlyTheModelsOfTheControllersKinds_areOnTheClassPath() throws IOException {
    List<String> jars =
        Collections.list(getClass().getClassLoader().getResources(RESOURCE_LIST)).stream()
            .map(URL::toString)
            .map(u -> u.replaceAll(".*/(kubernetes-model-[a-z]+)-[^/]*\\.jar!.*", "$1"))
            .sorted()
            .toList();

    assertThat(jars)
        .containsExactly(
            "kubernetes-model-apps",
            "kubernetes-model-autoscaling",
            "kubernetes-model-batch",
            "kubernetes-model-certificates",
            "kubernetes-model-coordination",
            "kubernetes-model-core",
            "kubernetes-model-discovery",
            "kubernetes-model-extensions",
            "kubernetes-model-networking");
  }

  @Test
  void aKindTheControllerNeverTouches_isNotOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("io.fabric8.kubernetes.api.model.rbac.ClusterRole"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
