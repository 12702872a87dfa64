package io.minilb.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side printing ({@code meta.k8s.io/v1 Table}), which {@code kubectl get} asks for and the
 * CRUD mock lacks. Services get kubectl's usual columns, so EXTERNAL-IP shows the minilb hostname.
 */
final class Tables {

  private record Column(String name, Function<JsonNode, String> cell) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private Tables() {}

  /** Whether an Accept header asks for a Table. */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * Converts a list or a single object of {@code kind} into a Table, or returns null if {@code
   * json} is neither.
   */
  static String toTable(String json, String kind) {
    JsonNode root = JSON.readTree(json);
    List<JsonNode> items = new ArrayList<>();
    if (root.has("items")) {
      root.get("items").forEach(items::add);
    } else if (root.has("metadata")) {
      items.add(root);
    } else {
      return null;
    }
    List<Column> columns = columns(kind);
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.set(
        "metadata",
        JSON.createObjectNode()
            .put("resourceVersion", root.path("metadata").path("resourceVersion").asString("")));
    ArrayNode defs = table.putArray("columnDefinitions");
    for (Column c : columns) {
      defs.addObject()
          .put("name", c.name())
          .put("type", "string")
          .put("format", c.name().equals("Name") ? "name" : "")
          .put("description", "")
          .put("priority", 0);
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      columns.forEach(c -> cells.add(c.cell().apply(item)));
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata");
      object.put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", item.path("metadata"));
    }
    return JSON.writeValueAsString(table);
  }

  private static List<Column> columns(String kind) {
    var name = new Column("Name", n -> n.path("metadata").path("name").asString());
    var age = new Column("Age", Tables::age);
    return switch (kind) {
      case "Service" ->
          List.of(
              name,
              new Column("Type", n -> n.path("spec").path("type").asString("ClusterIP")),
              new Column("Cluster-IP", n -> n.path("spec").path("clusterIP").asString("<none>")),
              new Column("External-IP", Tables::externalIp),
              new Column("Port(s)", Tables::ports),
              age);
      case "EndpointSlice" ->
          List.of(
              name,
              new Column("AddressType", n -> n.path("addressType").asString()),
              new Column("Ports", n -> join(n.path("ports"), p -> p.path("port").asString())),
              new Column(
                  "Endpoints",
                  n ->
                      join(
                          n.path("endpoints"), e -> join(e.path("addresses"), JsonNode::asString))),
              age);
      case "Ingress" ->
          List.of(
              name,
              new Column("Class", n -> n.path("spec").path("ingressClassName").asString("<none>")),
              new Column(
                  "Hosts",
                  n -> join(n.path("spec").path("rules"), r -> r.path("host").asString("*"))),
              new Column(
                  "Address",
                  n ->
                      join(
                          n.path("status").path("loadBalancer").path("ingress"),
                          i ->
                              i.has("hostname")
                                  ? i.get("hostname").asString()
                                  : i.path("ip").asString())),
              age);
      case "Node" ->
          List.of(
              name,
              new Column(
                  "PodCIDRs", n -> join(n.path("spec").path("podCIDRs"), JsonNode::asString)),
              new Column(
                  "InternalIP",
                  n ->
                      join(
                          n.path("status").path("addresses"),
                          a ->
                              a.path("type").asString().equals("InternalIP")
                                  ? a.path("address").asString()
                                  : "")),
              age);
      case "Event" ->
          // kubectl's own columns: the demo's Warnings are where a rejected name is explained
          List.of(
              new Column("Last Seen", Tables::lastSeen),
              new Column("Type", n -> n.path("type").asString("")),
              new Column("Reason", n -> n.path("reason").asString("")),
              new Column(
                  "Object",
                  n ->
                      n.path("involvedObject").path("kind").asString("").toLowerCase(Locale.ROOT)
                          + "/"
                          + n.path("involvedObject").path("name").asString("")),
              new Column("Message", n -> n.path("message").asString("")));
      default -> List.of(name, age);
    };
  }

  private static String externalIp(JsonNode svc) {
    String ingress =
        join(
            svc.path("status").path("loadBalancer").path("ingress"),
            i -> i.has("hostname") ? i.get("hostname").asString() : i.path("ip").asString());
    if (!ingress.isEmpty() && !ingress.equals("<none>")) {
      return ingress;
    }
    return svc.path("spec").path("type").asString().equals("LoadBalancer") ? "<pending>" : "<none>";
  }

  private static String ports(JsonNode svc) {
    return join(
        svc.path("spec").path("ports"),
        p -> {
          String s = p.path("port").asString();
          if (p.has("nodePort")) {
            s += ":" + p.get("nodePort").asString();
          }
          return s + "/" + p.path("protocol").asString("TCP");
        });
  }

  private static String join(JsonNode array, Function<JsonNode, String> f) {
    var parts = new ArrayList<String>();
    array.forEach(
        n -> {
          String s = f.apply(n);
          if (!s.isEmpty()) {
            parts.add(s);
          }
        });
    return parts.isEmpty() ? "<none>" : String.join(",", parts);
  }

  private static String lastSeen(JsonNode event) {
    String last = event.path("lastTimestamp").asString("");
    return last.isEmpty() ? age(event) : since(last);
  }

  private static String age(JsonNode n) {
    return since(n.path("metadata").path("creationTimestamp").asString(""));
  }

  private static String since(String ts) {
    if (ts.isEmpty()) {
      return "<unknown>";
    }
    try {
      Duration d = Duration.between(Instant.parse(ts), Instant.now());
      long s = Math.max(0, d.getSeconds());
      return s < 120
          ? s + "s"
          : s < 7200 ? (s / 60) + "m" : s < 172800 ? (s / 3600) + "h" : (s / 86400) + "d";
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }
}
