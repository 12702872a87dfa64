package io.minilb.controller.view;

import java.util.List;

/**
 * A Gateway API Gateway's {@code status.addresses}: values of type {@code Hostname} and of type
 * {@code IPAddress} (the default when the type is unset). Immutable.
 */
public record GatewayView(String namespace, String name, List<String> hostnames, List<String> ips) {

  public GatewayView {
    hostnames = List.copyOf(hostnames);
    ips = List.copyOf(ips);
  }

  public ObjectKey key() {
    return new ObjectKey(namespace, name);
  }
}
