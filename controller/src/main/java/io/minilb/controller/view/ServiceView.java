package io.minilb.controller.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The slice of a Service that DNS and status need, and nothing else. Two views are equal exactly
 * when nothing minilb can see has changed, so informer churn (resync, managed fields, unrelated
 * annotations) never triggers a rebuild. Immutable.
 *
 * @param type {@code spec.type}, e.g. {@code LoadBalancer}
 * @param loadBalancerClass {@code spec.loadBalancerClass}, or null
 * @param annotations only the {@code minilb/*} annotations
 * @param statusHostnames {@code status.loadBalancer.ingress[].hostname}, in order
 * @param statusIps {@code status.loadBalancer.ingress[].ip}, in order
 */
public record ServiceView(
    String namespace,
    String name,
    String type,
    String loadBalancerClass,
    boolean publishNotReadyAddresses,
    Instant created,
    Map<String, String> annotations,
    List<PortView> ports,
    List<String> statusHostnames,
    List<String> statusIps) {

  public static final String LOAD_BALANCER = "LoadBalancer";

  public ServiceView {
    annotations = Map.copyOf(annotations);
    ports = List.copyOf(ports);
    statusHostnames = List.copyOf(statusHostnames);
    statusIps = List.copyOf(statusIps);
    created = created == null ? Instant.EPOCH : created;
  }

  public ObjectKey key() {
    return new ObjectKey(namespace, name);
  }

  /** A Service port: name may be empty, protocol is TCP/UDP/SCTP. */
  public record PortView(String name, String protocol, int port) {}
}
