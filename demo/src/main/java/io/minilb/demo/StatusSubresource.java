package io.minilb.demo;

import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a real API server does with {@code status} that fabric8's CRUD mock does not: which kinds
 * have a status subresource (so main-resource writes leave status alone and {@code /status} writes
 * change nothing else), and JSON merge patch as RFC 7386 defines it (lists are replaced, not
 * appended to). Pure functions.
 */
final class StatusSubresource {

  /** Built-in and Gateway API kinds that declare a status subresource, by plural. */
  static final Set<String> PLURALS =
      Set.of(
          "services",
          "nodes",
          "namespaces",
          "pods",
          "ingresses",
          "gateways",
          "gatewayclasses",
          "httproutes",
          "grpcroutes",
          "tlsroutes");

  private StatusSubresource() {}

  /** True when the resource {@code path} addresses (with or without {@code /status}) has one. */
  static boolean declared(String path) {
    return PLURALS.contains(plural(path));
  }

  /**
   * The plural of a resource path: {@code /api/v1/namespaces/ns/services/web/status} → {@code
   * services}; "" when the path is not a resource path.
   */
  static String plural(String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String[] s = bare.split("/");
    int base;
    if (s.length > 3 && s[1].equals("api")) {
      base = 3;
    } else if (s.length > 4 && s[1].equals("apis")) {
      base = 4;
    } else {
      return "";
    }
    if (s[base].equals("namespaces") && s.length > base + 2) {
      return s[base + 2];
    }
    return s[base];
  }

  /** RFC 7386: objects merge member by member, null deletes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out =
        target != null && target.isObject()
            ? (ObjectNode) target.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (var e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }
}
