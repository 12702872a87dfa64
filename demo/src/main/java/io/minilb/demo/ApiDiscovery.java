package io.minilb.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents a real API server serves at {@code /api}, {@code /apis} and each
 * group-version, for the kinds the demo cluster holds. kubectl needs them to map {@code svc} to a
 * URL; the CRUD mock does not serve them.
 */
final class ApiDiscovery {

  /** One resource type: plural name, kind, scope and short names. */
  record Resource(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames) {
    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  static final List<Resource> RESOURCES =
      List.of(
          new Resource("", "v1", "services", "Service", true, List.of("svc")),
          new Resource("", "v1", "nodes", "Node", false, List.of("no")),
          new Resource("", "v1", "namespaces", "Namespace", false, List.of("ns")),
          new Resource("", "v1", "pods", "Pod", true, List.of("po")),
          new Resource("", "v1", "endpoints", "Endpoints", true, List.of("ep")),
          new Resource("", "v1", "configmaps", "ConfigMap", true, List.of("cm")),
          new Resource("", "v1", "events", "Event", true, List.of("ev")),
          new Resource(
              "discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, List.of()),
          new Resource("networking.k8s.io", "v1", "ingresses", "Ingress", true, List.of("ing")),
          new Resource(
              "networking.k8s.io", "v1", "ingressclasses", "IngressClass", false, List.of()),
          new Resource("coordination.k8s.io", "v1", "leases", "Lease", true, List.of()),
          new Resource("events.k8s.io", "v1", "events", "Event", true, List.of("ev")),
          new Resource(
              "gateway.networking.k8s.io", "v1", "gateways", "Gateway", true, List.of("gtw")),
          new Resource(
              "gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true, List.of()),
          new Resource(
              "gateway.networking.k8s.io", "v1", "grpcroutes", "GRPCRoute", true, List.of()),
          new Resource(
              "gateway.networking.k8s.io", "v1alpha2", "tlsroutes", "TLSRoute", true, List.of()));

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private ApiDiscovery() {}

  /** The document for {@code path}, or null when it is not a discovery path. */
  static Map<String, Object> document(String path, boolean gatewayApi) {
    if (!gatewayApi && path.startsWith("/apis/gateway.networking.k8s.io")) {
      return Map.of(
          "kind",
          "Status",
          "apiVersion",
          "v1",
          "status",
          "Failure",
          "code",
          404,
          "reason",
          "NotFound");
    }
    Map<String, Object> doc = document(path);
    if (!gatewayApi && path.equals("/apis")) {
      @SuppressWarnings("unchecked")
      var groups = (List<Map<String, Object>>) doc.get("groups");
      return Map.of(
          "kind",
          "APIGroupList",
          "apiVersion",
          "v1",
          "groups",
          groups.stream().filter(g -> !"gateway.networking.k8s.io".equals(g.get("name"))).toList());
    }
    return doc;
  }

  private static Map<String, Object> document(String path) {
    if (path.equals("/api")) {
      return Map.of(
          "kind", "APIVersions",
          "versions", List.of("v1"),
          "serverAddressByClientCIDRs",
              List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1")));
    }
    if (path.equals("/apis")) {
      return groupList();
    }
    if (path.equals("/api/v1")) {
      return resourceList("v1");
    }
    if (path.startsWith("/apis/")) {
      String[] parts = path.substring("/apis/".length()).split("/");
      if (parts.length == 2
          && RESOURCES.stream().anyMatch(r -> r.groupVersion().equals(parts[0] + "/" + parts[1]))) {
        return resourceList(parts[0] + "/" + parts[1]);
      }
      if (parts.length == 1) {
        return groupList().get("groups") instanceof List<?> groups
            ? groups.stream()
                .map(g -> (Map<?, ?>) g)
                .filter(g -> g.get("name").equals(parts[0]))
                .findFirst()
                .map(ApiDiscovery::asGroup)
                .orElse(null)
            : null;
      }
    }
    return null;
  }

  /**
   * The kind a resource URL addresses ({@code .../services} or {@code .../services/web}), or "".
   */
  static String kindOf(String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= Math.max(0, parts.length - 2); i--) {
      for (Resource r : RESOURCES) {
        if (r.plural().equals(parts[i])
            && (i == parts.length - 1 || !parts[i - 1].equals("namespaces"))) {
          return r.kind();
        }
      }
    }
    return "";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asGroup(Map<?, ?> g) {
    var m = new LinkedHashMap<String, Object>((Map<String, Object>) g);
    m.put("kind", "APIGroup");
    m.put("apiVersion", "v1");
    return m;
  }

  private static Map<String, Object> groupList() {
    var groups = new LinkedHashMap<String, List<String>>();
    for (Resource r : RESOURCES) {
      if (!r.group().isEmpty()) {
        var versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!versions.contains(r.version())) {
          versions.add(r.version());
        }
      }
    }
    var list = new ArrayList<Map<String, Object>>();
    groups.forEach(
        (name, versions) -> {
          var vs =
              versions.stream()
                  .map(v -> Map.<String, Object>of("groupVersion", name + "/" + v, "version", v))
                  .toList();
          list.add(Map.of("name", name, "versions", vs, "preferredVersion", vs.get(0)));
        });
    return Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", list);
  }

  private static Map<String, Object> resourceList(String groupVersion) {
    var resources = new ArrayList<Map<String, Object>>();
    for (Resource r : RESOURCES) {
      if (r.groupVersion().equals(groupVersion)) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", r.plural());
        m.put("singularName", r.kind().toLowerCase(java.util.Locale.ROOT));
        m.put("namespaced", r.namespaced());
        m.put("kind", r.kind());
        m.put("verbs", VERBS);
        if (!r.shortNames().isEmpty()) {
          m.put("shortNames", r.shortNames());
        }
        resources.add(m);
        if (StatusSubresource.PLURALS.contains(r.plural())) {
          resources.add(
              Map.of(
                  "name",
                  r.plural() + "/status",
                  "singularName",
                  "",
                  "namespaced",
                  r.namespaced(),
                  "kind",
                  r.kind(),
                  "verbs",
                  List.of("get", "patch", "update")));
        }
      }
    }
    return Map.of(
        "kind",
        "APIResourceList",
        "apiVersion",
        "v1",
        "groupVersion",
        groupVersion,
        "resources",
        resources);
  }
}
