package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ListPageTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void of_readsLimitAndContinue_andKeepsTheOtherParameters() {
    assertThat(ListPage.of("/api/v1/services")).isNull();
    assertThat(ListPage.of("/api/v1/services?labelSelector=a%3Db")).isNull();
    assertThat(ListPage.of("/api/v1/services?limit=0")).isNull();
    assertThat(ListPage.of("/api/v1/services?limit=500&labelSelector=a%3Db"))
        .isEqualTo(new ListPage("/api/v1/services?labelSelector=a%3Db", 500, ""));
    assertThat(ListPage.of("/api/v1/services?limit=2&continue=bnMvYg"))
        .isEqualTo(new ListPage("/api/v1/services", 2, "ns/b"));
  }

  @Test
  void render_followingTheContinueTokens_servesEveryObjectOnceInKeyOrder() {
    List<Map.Entry<String, String>> objects = new ArrayList<>();
    for (String k : List.of("a/x", "a/y", "b/x", "b/z", "c/a")) {
      objects.add(Map.entry(k, "{\"k\":\"" + k + "\"}"));
    }
    var served = new ArrayList<String>();
    var remaining = new ArrayList<Integer>();
    ListPage page = ListPage.of("/api/v1/services?limit=2");
    while (true) {
      JsonNode list = JSON.readTree(page.render(objects, "7"));
      assertThat(list.get("metadata").get("resourceVersion").asText()).isEqualTo("7");
      list.get("items").forEach(i -> served.add(i.get("k").asText()));
      JsonNode token = list.get("metadata").get("continue");
      if (token == null) {
        break;
      }
      remaining.add(list.get("metadata").get("remainingItemCount").asInt());
      page = ListPage.of("/api/v1/services?limit=2&continue=" + token.asText());
    }
    assertThat(served).containsExactly("a/x", "a/y", "b/x", "b/z", "c/a");
    assertThat(remaining).containsExactly(3, 1);
  }

  @Test
  void apiServer_servesAListInPages_whenTheClientAsksForALimit() {
    try (var api = new MockApiServer().start(InetAddress.getLoopbackAddress(), 0);
        NamespacedKubernetesClient client = api.client()) {
      for (int i = 0; i < 5; i++) {
        client
            .services()
            .inNamespace("ns" + i % 2)
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("s" + i)
                    .withNamespace("ns" + i % 2)
                    .endMetadata()
                    .build())
            .create();
      }

      var first =
          client.services().inAnyNamespace().list(new ListOptionsBuilder().withLimit(2L).build());
      var second =
          client
              .services()
              .inAnyNamespace()
              .list(
                  new ListOptionsBuilder()
                      .withLimit(2L)
                      .withContinue(first.getMetadata().getContinue())
                      .build());

      assertThat(first.getItems())
          .extracting(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
          .containsExactly("ns0/s0", "ns0/s2");
      assertThat(second.getItems())
          .extracting(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
          .containsExactly("ns0/s4", "ns1/s1");
      assertThat(client.services().inAnyNamespace().list().getItems()).hasSize(5);
      assertThat(
              client
                  .services()
                  .inNamespace("ns1")
                  .list(new ListOptionsBuilder().withLimit(1L).build())
                  .getItems())
          .hasSize(1);
    }
  }
}
