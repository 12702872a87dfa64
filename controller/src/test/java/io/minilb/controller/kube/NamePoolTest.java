package io.minilb.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class NamePoolTest {

  private final NamePool pool = new NamePool();

  @Test
  void of_anEqualString_returnsThePooledCopy() {
    String first = pool.of(new String("shop"));

    assertThat(pool.of(new String("shop"))).isSameAs(first);
    assertThat(pool.of(null)).isNull();
  }

  @Test
  void of_aLongString_isNotPooled() {
    String host = "a".repeat(NamePool.MAX_LENGTH + 1);

    pool.of(host);

    assertThat(pool.of(new String(host))).isNotSameAs(host).isEqualTo(host);
  }

  @Test
  void of_manyDistinctStrings_holdsAtMostItsSlots_andStillAnswersEachWithAnEqualString() {
    var held = new HashSet<String>();
    for (int i = 0; i < 4 * NamePool.SLOTS; i++) {
      String s = "svc" + i;
      assertThat(pool.of(s)).isEqualTo(s);
      held.add(pool.of(new String(s)));
    }

    // every slot holds one string; the table never grows
    assertThat(held).hasSize(4 * NamePool.SLOTS);
    assertThat(pool.of(new String("svc" + (4 * NamePool.SLOTS - 1))))
        .isSameAs(pool.of("svc" + (4 * NamePool.SLOTS - 1)));
  }

  @Test
  void views_ofAServiceAndItsSlice_shareTheNamespaceNameAndPortStrings() {
    var service =
        Views.of(
            new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(new String("shop"))
                .withName(new String("web"))
                .endMetadata()
                .withNewSpec()
                .withType(new String("LoadBalancer"))
                .addNewPort()
                .withName(new String("http"))
                .withProtocol(new String("TCP"))
                .withPort(80)
                .endPort()
                .endSpec()
                .build());
    var slice =
        Views.of(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(new String("shop"))
                .withName("web-abc")
                .addToLabels(Views.SERVICE_NAME_LABEL, new String("web"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName(new String("http"))
                .withProtocol(new String("TCP"))
                .withPort(8080)
                .endPort()
                .build());

    assertThat(slice.namespace()).isSameAs(service.namespace());
    assertThat(slice.service()).isSameAs(service.name());
    assertThat(slice.ports().get(0).name()).isSameAs(service.ports().get(0).name());
    assertThat(slice.ports().get(0).protocol()).isSameAs(service.ports().get(0).protocol());
  }
}
