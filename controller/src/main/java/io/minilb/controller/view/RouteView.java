package io.minilb.controller.view;

import java.time.Instant;
import java.util.List;

/**
 * A Gateway API route (HTTPRoute, GRPCRoute or TLSRoute): its {@code spec.hostnames} and the
 * Gateways it attaches to ({@code spec.parentRefs} of kind Gateway, namespace defaulted to the
 * route's). Immutable.
 */
public record RouteView(
    String kind,
    String namespace,
    String name,
    Instant created,
    List<String> hostnames,
    List<ObjectKey> gateways) {

  public RouteView {
    hostnames = List.copyOf(hostnames);
    gateways = List.copyOf(gateways);
    created = created == null ? Instant.EPOCH : created;
  }

  public ObjectKey key() {
    return new ObjectKey(namespace, kind + "/" + name);
  }
}
