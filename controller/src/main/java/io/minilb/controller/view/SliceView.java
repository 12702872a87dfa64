package io.minilb.controller.view;

import java.util.List;

/**
 * The slice of an EndpointSlice that DNS needs. Immutable.
 *
 * @param service the owning Service's name (label {@code kubernetes.io/service-name})
 * @param addressType {@code IPv4}, {@code IPv6} or {@code FQDN}
 */
public record SliceView(
    String namespace,
    String name,
    String service,
    String addressType,
    List<EndpointView> endpoints,
    List<ServiceView.PortView> ports) {

  public SliceView {
    endpoints = List.copyOf(endpoints);
    ports = List.copyOf(ports);
  }

  public ObjectKey key() {
    return new ObjectKey(namespace, name);
  }

  public ObjectKey serviceKey() {
    return new ObjectKey(namespace, service);
  }

  /**
   * One endpoint. {@code ready} is the condition with unset read as true, as the EndpointSlice API
   * specifies; {@code terminating} unset reads as false.
   */
  public record EndpointView(
      List<String> addresses, boolean ready, boolean terminating, String hostname) {

    public EndpointView {
      addresses = List.copyOf(addresses);
    }
  }
}
