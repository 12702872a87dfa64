package io.minilb.controller.records;

import io.minilb.controller.view.ObjectKey;

/**
 * Something about an object the operator should hear of, raised while building records and turned
 * into a Kubernetes Event by the leader. Immutable; the message is cut to {@link #MAX_MESSAGE}.
 *
 * @param kind the object's kind, e.g. {@code Service} or {@code Ingress}
 * @param reason a CamelCase Event reason, e.g. {@code HostConflict}
 */
public record Finding(String kind, ObjectKey object, Type type, String reason, String message) {

  /**
   * Longest message kept, in characters: events.k8s.io caps an Event's note at 1 KiB, and a message
   * built from cluster input (a list of bad names) must not grow with it.
   */
  public static final int MAX_MESSAGE = 1024;

  public Finding {
    if (message != null && message.length() > MAX_MESSAGE) {
      message = cut(message, MAX_MESSAGE - 1) + "…";
    }
  }

  /** The first {@code max} chars of {@code s}, one fewer rather than half a surrogate pair. */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** Event types. */
  public enum Type {
    Normal,
    Warning
  }

  public static Finding warning(String kind, ObjectKey object, String reason, String message) {
    return new Finding(kind, object, Type.Warning, reason, message);
  }
}
