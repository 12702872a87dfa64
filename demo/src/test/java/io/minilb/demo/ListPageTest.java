package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
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
    assertThat(ListPage.of("/api/v1/services?limit=2&continue=" + token(7, "ns/b\u0000")))
        .isEqualTo(new ListPage("/api/v1/services", 2, "ns/b\u0000"));
  }

  @Test
  void of_withContinueButNoLimit_asksForTheRest() {
    assertThat(ListPage.of("/api/v1/services?continue=" + token(7, "ns/b\u0000")))
        .isEqualTo(new ListPage("/api/v1/services", Integer.MAX_VALUE, "ns/b\u0000"));
  }

  @Test
  void render_writesKubeApiserversTokenFormat() {
    List<Map.Entry<String, String>> objects =
        List.of(Map.entry("a/x", "{}"), Map.entry("a/y", "{}"));

    JsonNode list = JSON.readTree(ListPage.of("/api/v1/services?limit=1").render(objects, "12"));
    JsonNode token =
        JSON.readTree(
            Base64.getUrlDecoder().decode(list.get("metadata").get("continue").asString()));

    assertThat(list.get("metadata").get("continue").asString()).doesNotContain("=");
    assertThat(token.get("v").asString()).isEqualTo("meta.k8s.io/v1");
    assertThat(token.get("rv").asLong()).isEqualTo(12);
    assertThat(token.get("start").asString()).isEqualTo("a/x\u0000");
  }

  @Test
  void of_whenTheTokenIsMalformed_rejectsItAsKubeApiserverDoes() {
    var bad =
        List.of(
            "!!!",
            "%zz",
            "%e9",
            b64("not json"),
            b64("[1]"),
            b64("{\"v\":\"meta.k8s.io/v2\",\"rv\":1,\"start\":\"a\"}"),
            b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":0,\"start\":\"a\"}"),
            b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"\"}"),
            b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"a/../../b\"}"));
    for (String token : bad) {
      assertThatThrownBy(() -> ListPage.of("/api/v1/services?limit=2&continue=" + token))
          .as(token)
          .isInstanceOf(ListPage.BadContinue.class)
          .hasMessageStartingWith("invalid continue token: continue key is not valid: ");
    }
  }

  @Test
  void apiServer_whenTheContinueTokenIsMalformed_answers400BadRequest() {
    try (var api = new MockApiServer().start(InetAddress.getLoopbackAddress(), 0);
        NamespacedKubernetesClient client = api.client()) {
      String token = b64("{\"v\":\"x\\\"y\",\"rv\":1,\"start\":\"a\"}");

      assertThatThrownBy(
              () ->
                  client
                      .services()
                      .inAnyNamespace()
                      .list(new ListOptionsBuilder().withLimit(2L).withContinue(token).build()))
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getStatus().getReason()).isEqualTo("BadRequest");
                assertThat(e.getStatus().getMessage())
                    .isEqualTo(
                        "invalid continue token: continue key is not valid: server does not"
                            + " recognize this encoded version \"x\\\"y\"");
              });
    }
  }

  @Test
  void apiServer_whenTheContinueTokenHasABadPercentEscape_answers400BadRequest() throws Exception {
    try (var api = new MockApiServer().start(InetAddress.getLoopbackAddress(), 0)) {
      // java.net.URI refuses a bad escape, so the request goes through URL as curl sends it.
      var connection =
          (java.net.HttpURLConnection)
              new java.net.URL(api.url() + "/api/v1/services?limit=1&continue=%zz")
                  .openConnection();

      assertThat(connection.getResponseCode()).isEqualTo(400);
      try (var body = connection.getErrorStream()) {
        assertThat(JSON.readTree(body).get("reason").asString()).isEqualTo("BadRequest");
      }
    }
  }

  @Test
  void apiServer_pagesInNamespaceThenNameOrder() {
    try (var api = new MockApiServer().start(InetAddress.getLoopbackAddress(), 0);
        NamespacedKubernetesClient client = api.client()) {
      for (String name : List.of("a-b", "a", "b")) {
        client
            .services()
            .inNamespace("ns")
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace("ns")
                    .endMetadata()
                    .build())
            .create();
      }
      var served = new ArrayList<String>();
      String next = null;
      do {
        var page =
            client
                .services()
                .inAnyNamespace()
                .list(new ListOptionsBuilder().withLimit(1L).withContinue(next).build());
        page.getItems().forEach(s -> served.add(s.getMetadata().getName()));
        next = page.getMetadata().getContinue();
      } while (next != null && !next.isEmpty());

      assertThat(served).containsExactly("a", "a-b", "b");
    }
  }

  private static String token(long rv, String start) {
    return ListPage.encode(start.substring(0, start.length() - 1), rv);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
