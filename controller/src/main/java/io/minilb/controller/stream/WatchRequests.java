package io.minilb.controller.stream;

import io.minilb.log.Untrusted;
import io.minilb.proto.v1.Version;
import io.minilb.proto.v1.WatchRequest;

/**
 * What a resolver may send. Checked before anything else looks at a request, so a bad field ends
 * the stream with INVALID_ARGUMENT rather than an exception inside the server.
 */
final class WatchRequests {

  /** Kubernetes node names are DNS subdomains (RFC 1123): at most 253 characters. */
  static final int MAX_NODE_NAME = 253;

  private WatchRequests() {}

  /** Why {@code request} is not acceptable (safe to log: client text is escaped), or null. */
  static String problem(WatchRequest request) {
    return switch (request.getKindCase()) {
      case SUBSCRIBE -> {
        var s = request.getSubscribe();
        String node = nodeProblem(s.getNode());
        if (node != null) {
          yield node + " (" + Untrusted.text(s.getNode(), 64) + ")";
        }
        yield s.hasHave() ? versionProblem("have", s.getHave()) : null;
      }
      case ACK ->
          request.getAck().hasVersion()
              ? versionProblem("ack", request.getAck().getVersion())
              : "ack without a version";
      default -> "empty request";
    };
  }

  /**
   * A node name: 1 to 253 letters, digits, '-', '.' or '_' (a Kubernetes node name, or the host
   * name of a resolver outside the cluster).
   */
  static String nodeProblem(String node) {
    if (node.isEmpty()) {
      return "node name is empty";
    }
    if (node.length() > MAX_NODE_NAME) {
      return "node name is " + node.length() + " characters, more than " + MAX_NODE_NAME;
    }
    for (int i = 0; i < node.length(); i++) {
      char c = node.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_';
      if (!ok) {
        return String.format(
            "node name has character U+%04X at %d; allowed are letters, digits, '-', '.', '_'",
            (int) c, i);
      }
    }
    return null;
  }

  /** A sequence is a uint64 on the wire but never reaches 2^63 (the model holds it in a long). */
  static String versionProblem(String field, Version v) {
    if (v.getSequence() < 0) {
      return field
          + " sequence "
          + Long.toUnsignedString(v.getSequence())
          + " is out of range (at most "
          + Long.MAX_VALUE
          + ")";
    }
    return null;
  }
}
