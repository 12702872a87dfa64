package io.minilb.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One page of a chunked list ({@code ?limit=N&continue=TOKEN}), served as kube-apiserver does:
 * objects in key order (namespace, then name: the etcd key), at most {@code limit} per page, and
 * while more remain a continue token in kube-apiserver's format, base64url of {@code
 * {"v":"meta.k8s.io/v1","rv":N,"start":"<next key>"}} where the next key is the last key served
 * followed by a NUL. A malformed token is a {@link BadContinue} (the server answers 400
 * BadRequest); a {@code continue} without {@code limit} returns the rest of the list. fabric8's
 * CRUD mock ignores {@code limit} and answers every list whole, so a client that pages (as the
 * controller's informers and kubectl do) held a whole 10k-object list in memory at once, which it
 * never does against a real cluster. Unlike a real server, later pages are not read from the
 * snapshot of the first, and a token never expires (no 410 Gone): an object written between pages
 * shows up (or not) by its key. Immutable.
 *
 * @param path the request path without {@code limit} and {@code continue}
 * @param limit objects per page, at least 1
 * @param start the key to start at (inclusive), or "" for the first page
 */
record ListPage(String path, int limit, String start) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN_VERSION = "meta.k8s.io/v1";

  /** A continue token that is not one this server (or kube-apiserver) wrote. */
  static final class BadContinue extends IllegalArgumentException {
    BadContinue(String reason) {
      super("invalid continue token: continue key is not valid: " + reason);
    }
  }

  /**
   * The page {@code path} asks for, or null when it asks for no limit and no continuation (a whole
   * list).
   *
   * @throws BadContinue if the continue token is malformed
   */
  static ListPage of(String path) {
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    int limit = 0;
    String start = null;
    var kept = new ArrayList<String>();
    for (String param : path.substring(q + 1).split("&")) {
      if (param.startsWith("limit=")) {
        try {
          limit = Integer.parseInt(param.substring("limit=".length()));
        } catch (NumberFormatException e) {
          return null;
        }
      } else if (param.startsWith("continue=")) {
        String token;
        try {
          token = URLDecoder.decode(param.substring("continue=".length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          // a bad percent escape is the client's error (400), not the server's
          throw new BadContinue(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        start = token.isEmpty() ? null : decode(token);
      } else if (!param.isEmpty()) {
        kept.add(param);
      }
    }
    if (limit <= 0 && start == null) {
      return null;
    }
    String bare = path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    return new ListPage(bare, limit > 0 ? limit : Integer.MAX_VALUE, start == null ? "" : start);
  }

  /** The start key of a continue token, checked as kube-apiserver's {@code DecodeContinue} does. */
  static String decode(String token) {
    JsonNode node;
    try {
      node = JSON.readTree(Base64.getUrlDecoder().decode(token));
    } catch (IllegalArgumentException | JacksonException e) {
      throw new BadContinue(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadContinue("not a JSON object");
    }
    String version = node.path("v").isString() ? node.path("v").asString() : "";
    if (!TOKEN_VERSION.equals(version)) {
      throw new BadContinue(
          "server does not recognize this encoded version " + JSON.writeValueAsString(version));
    }
    if (!node.path("rv").isIntegralNumber() || node.path("rv").asLong() == 0) {
      throw new BadContinue("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
    String start = node.path("start").isString() ? node.path("start").asString() : "";
    if (start.isEmpty()) {
      throw new BadContinue("encoded start key empty (version meta.k8s.io/v1)");
    }
    String key = start.startsWith("/") ? start : "/" + start;
    if (!key.equals(clean(key))) {
      throw new BadContinue(start);
    }
    return key.substring(1);
  }

  /** Go's {@code path.Clean} for an absolute path: no empty, "." or ".." elements. */
  private static String clean(String key) {
    var parts = new ArrayList<String>();
    for (String part : key.substring(1).split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** The continue token of a page whose last object has key {@code last}, at {@code rv}. */
  static String encode(String last, long rv) {
    var token = JSON.createObjectNode();
    token.put("v", TOKEN_VERSION);
    token.put("rv", rv);
    token.put("start", last + "\u0000");
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(JSON.writeValueAsString(token).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * This page of {@code objects} (key → JSON, in key order) as a list document at {@code
   * resourceVersion}.
   */
  String render(List<Map.Entry<String, String>> objects, String resourceVersion) {
    int from = 0;
    while (from < objects.size() && objects.get(from).getKey().compareTo(start) < 0) {
      from++;
    }
    int to = (int) Math.min(objects.size(), (long) from + limit);
    var body = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
    for (int i = from; i < to; i++) {
      body.append(i > from ? "," : "").append(objects.get(i).getValue());
    }
    body.append("],\"metadata\":{\"resourceVersion\":\"").append(resourceVersion).append('"');
    if (to < objects.size()) {
      long rv;
      try {
        rv = Math.max(1, Long.parseLong(resourceVersion));
      } catch (NumberFormatException e) {
        rv = 1;
      }
      body.append(",\"continue\":\"")
          .append(encode(objects.get(to - 1).getKey(), rv))
          .append("\",\"remainingItemCount\":")
          .append(objects.size() - to);
    }
    return body.append("}}").toString();
  }
}
