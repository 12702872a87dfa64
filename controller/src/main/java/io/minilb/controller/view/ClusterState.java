package io.minilb.controller.view;

import java.util.List;

/** A consistent copy of every view the record builder reads. Immutable. */
public record ClusterState(
    List<ServiceView> services,
    List<SliceView> slices,
    List<IngressView> ingresses,
    List<GatewayView> gateways,
    List<RouteView> routes,
    List<NodeView> nodes) {

  public ClusterState {
    services = List.copyOf(services);
    slices = List.copyOf(slices);
    ingresses = List.copyOf(ingresses);
    gateways = List.copyOf(gateways);
    routes = List.copyOf(routes);
    nodes = List.copyOf(nodes);
  }
}
