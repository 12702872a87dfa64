package io.minilb.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One page of a chunked list ({@code ?limit=N&continue=TOKEN}), served as a real API server does:
 * objects in key order (namespace, then name), at most {@code limit} per page, and a continue token
 * (opaque to clients; here the key of the last object served) while more remain. fabric8's CRUD
 * mock ignores {@code limit} and answers every list whole, so a client that pages (as the
 * controller's informers and kubectl do) held a whole 10k-object list in memory at once, which it
 * never does against a real cluster. Unlike a real server, later pages are not read from the
 * snapshot of the first: an object written between pages shows up (or not) by its key. Immutable.
 *
 * @param path the request path without {@code limit} and {@code continue}
 * @param limit objects per page, at least 1
 * @param after the key of the last object already served, or "" for the first page
 */
record ListPage(String path, int limit, String after) {

  /** The page {@code path} asks for, or null when it asks for no limit (a whole list). */
  static ListPage of(String path) {
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    int limit = 0;
    String after = "";
    var kept = new ArrayList<String>();
    for (String param : path.substring(q + 1).split("&")) {
      if (param.startsWith("limit=")) {
        try {
          limit = Integer.parseInt(param.substring("limit=".length()));
        } catch (NumberFormatException e) {
          return null;
        }
      } else if (param.startsWith("continue=")) {
        String token =
            URLDecoder.decode(param.substring("continue=".length()), StandardCharsets.UTF_8);
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } else if (!param.isEmpty()) {
        kept.add(param);
      }
    }
    if (limit <= 0) {
      return null;
    }
    String bare = path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    return new ListPage(bare, limit, after);
  }

  /**
   * This page of {@code objects} (key → JSON, in key order) as a list document at {@code
   * resourceVersion}.
   */
  String render(List<Map.Entry<String, String>> objects, String resourceVersion) {
    int from = 0;
    if (!after.isEmpty()) {
      while (from < objects.size() && objects.get(from).getKey().compareTo(after) <= 0) {
        from++;
      }
    }
    int to = Math.min(objects.size(), from + limit);
    var body = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[");
    for (int i = from; i < to; i++) {
      body.append(i > from ? "," : "").append(objects.get(i).getValue());
    }
    body.append("],\"metadata\":{\"resourceVersion\":\"").append(resourceVersion).append('"');
    if (to < objects.size()) {
      String last = objects.get(to - 1).getKey();
      body.append(",\"continue\":\"")
          .append(
              Base64.getUrlEncoder()
                  .withoutPadding()
                  .encodeToString(last.getBytes(StandardCharsets.UTF_8)))
          .append("\",\"remainingItemCount\":")
          .append(objects.size() - to);
    }
    return body.append("}}").toString();
  }
}
