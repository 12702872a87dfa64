package io.minilb.controller.view;

import java.time.Instant;
import java.util.List;

/**
 * The slice of a {@code networking.k8s.io/v1} Ingress that DNS needs. Immutable.
 *
 * @param ingressClass {@code spec.ingressClassName}, else the legacy class annotation, else null
 * @param hosts every {@code spec.rules[].host} and {@code spec.tls[].hosts[]}, in order, raw
 */
public record IngressView(
    String namespace,
    String name,
    String ingressClass,
    Instant created,
    List<String> hosts,
    List<String> statusHostnames,
    List<String> statusIps) {

  public IngressView {
    hosts = List.copyOf(hosts);
    statusHostnames = List.copyOf(statusHostnames);
    statusIps = List.copyOf(statusIps);
    created = created == null ? Instant.EPOCH : created;
  }

  public ObjectKey key() {
    return new ObjectKey(namespace, name);
  }
}
