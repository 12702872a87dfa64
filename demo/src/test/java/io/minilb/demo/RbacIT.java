package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked rather than assumed: the controller runs against a recording API server,
 * every request becomes an RBAC (group, resource, verb, namespace) tuple, and the rendered
 * ClusterRole and Role must grant each one — and nothing that was not used.
 */
class RbacIT {

  private final Pipeline p = new Pipeline();

  /** An RBAC permission as the authorizer sees a request. */
  record Access(String group, String resource, String verb, String namespace) {}

  @AfterEach
  void stop() {
    p.close();
  }

  @Test
  void theControllerUsesExactlyWhatItsRolesGrant() throws Exception {
    List<HasMetadata> rendered;
    try (var plain = new KubernetesClientBuilder().build()) {
      rendered = Rendered.objects(plain, Rendered.DEPLOY);
    }
    ClusterRole clusterRole =
        DeployManifestsIT.find(rendered, ClusterRole.class, "minilb-controller");
    Role role = DeployManifestsIT.find(rendered, Role.class, "minilb-controller-lease");

    var svc =
        new ServiceBuilder(EndToEndIT.service("default", "web", "minilb"))
            .editMetadata()
            .withAnnotations(Map.of("minilb/host", "bad host!"))
            .endMetadata()
            .build();
    p.client.resource(svc).create();
    p.api.clearRequests(); // from here on, only the controller talks to the API server
    p.startController();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !p.statusWrites.isEmpty()
                    && p.api.requests().stream()
                        .anyMatch(r -> r.startsWith("POST /api/v1/namespaces/default/events"))
                    && p.api.requests().stream()
                        .anyMatch(r -> r.startsWith("PUT /apis/coordination.k8s.io")));
    p.stopController();

    Set<Access> used = new TreeSet<>(java.util.Comparator.comparing(Access::toString));
    for (String request : p.api.requests()) {
      Access a = access(request);
      if (a != null) {
        used.add(a);
      }
    }
    Set<String> granted = new TreeSet<>();
    clusterRole.getRules().forEach(r -> expand(r, "*", granted));
    role.getRules().forEach(r -> expand(r, role.getMetadata().getNamespace(), granted));

    for (Access a : used) {
      boolean allowed =
          granted.contains(key(a.group(), a.resource(), a.verb(), "*"))
              || granted.contains(key(a.group(), a.resource(), a.verb(), a.namespace()));
      assertThat(allowed).as("request needs " + a + "; granted: " + granted).isTrue();
    }
    Set<String> usedKeys = new TreeSet<>();
    for (Access a : used) {
      usedKeys.add(key(a.group(), a.resource(), a.verb(), "*"));
      usedKeys.add(key(a.group(), a.resource(), a.verb(), a.namespace()));
    }
    assertThat(usedKeys).as("every grant is used").containsAll(granted);
  }

  private static void expand(PolicyRule r, String namespace, Set<String> out) {
    for (String g : r.getApiGroups()) {
      for (String res : r.getResources()) {
        for (String v : r.getVerbs()) {
          out.add(key(g, res, v, namespace));
        }
      }
    }
  }

  private static String key(String group, String resource, String verb, String namespace) {
    return group + "|" + resource + "|" + verb + "|" + namespace;
  }

  /**
   * The RBAC view of {@code "METHOD /path?query"}; null for discovery and other non-resource URLs.
   */
  static Access access(String request) {
    String method = request.substring(0, request.indexOf(' '));
    String full = request.substring(request.indexOf(' ') + 1);
    String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
    String query = full.contains("?") ? full.substring(full.indexOf('?') + 1) : "";
    List<String> parts = new ArrayList<>(List.of(path.replaceFirst("^/", "").split("/")));
    String group;
    if (parts.get(0).equals("api") && parts.size() > 2) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.get(0).equals("apis") && parts.size() > 3) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return null;
    }
    String namespace = "*";
    if (parts.get(0).equals("namespaces") && parts.size() > 2) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    }
    String resource = parts.get(0) + (parts.size() > 2 ? "/" + parts.get(2) : "");
    boolean named = parts.size() > 1;
    String verb =
        switch (method) {
          case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return new Access(group, resource, verb, namespace);
  }
}
