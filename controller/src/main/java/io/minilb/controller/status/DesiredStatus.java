package io.minilb.controller.status;

import io.minilb.controller.view.ServiceView;
import java.util.List;

/** What a Service's {@code status.loadBalancer.ingress} should hold: hostnames then IPs. */
public record DesiredStatus(List<String> hostnames, List<String> ips) {
  public DesiredStatus {
    hostnames = List.copyOf(hostnames);
    ips = List.copyOf(ips);
  }

  /** What {@code service} holds now. */
  public static DesiredStatus of(ServiceView service) {
    return new DesiredStatus(service.statusHostnames(), service.statusIps());
  }
}
