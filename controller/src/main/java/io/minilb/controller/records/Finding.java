package io.minilb.controller.records;

import io.minilb.controller.view.ObjectKey;

/**
 * Something about an object the operator should hear of, raised while building records and turned
 * into a Kubernetes Event by the leader. Immutable.
 *
 * @param kind the object's kind, e.g. {@code Service} or {@code Ingress}
 * @param reason a CamelCase Event reason, e.g. {@code HostConflict}
 */
public record Finding(String kind, ObjectKey object, Type type, String reason, String message) {

  /** Event types. */
  public enum Type {
    Normal,
    Warning
  }

  public static Finding warning(String kind, ObjectKey object, String reason, String message) {
    return new Finding(kind, object, Type.Warning, reason, message);
  }
}
