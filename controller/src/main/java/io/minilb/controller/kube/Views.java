package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Converts API objects into views at the edge; nothing past this class sees fabric8 types. */
public final class Views {

  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String ANNOTATION_PREFIX = "minilb/";

  private Views() {}

  public static ServiceView of(Service s) {
    var meta = s.getMetadata();
    var spec = s.getSpec();
    var annotations = new TreeMap<String, String>();
    if (meta.getAnnotations() != null) {
      meta.getAnnotations()
          .forEach(
              (k, v) -> {
                if (k.startsWith(ANNOTATION_PREFIX) && v != null) {
                  annotations.put(k, v);
                }
              });
    }
    var ports = new ArrayList<ServiceView.PortView>();
    if (spec != null && spec.getPorts() != null) {
      for (ServicePort p : spec.getPorts()) {
        if (p.getPort() != null) {
          ports.add(
              new ServiceView.PortView(nz(p.getName()), protocol(p.getProtocol()), p.getPort()));
        }
      }
    }
    var hostnames = new ArrayList<String>();
    var ips = new ArrayList<String>();
    if (s.getStatus() != null
        && s.getStatus().getLoadBalancer() != null
        && s.getStatus().getLoadBalancer().getIngress() != null) {
      for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
        if (i.getHostname() != null) {
          hostnames.add(i.getHostname());
        }
        if (i.getIp() != null) {
          ips.add(i.getIp());
        }
      }
    }
    return new ServiceView(
        meta.getNamespace(),
        meta.getName(),
        spec == null ? "" : nz(spec.getType()),
        spec == null ? null : spec.getLoadBalancerClass(),
        spec != null && Boolean.TRUE.equals(spec.getPublishNotReadyAddresses()),
        instant(meta.getCreationTimestamp()),
        annotations,
        ports,
        hostnames,
        ips);
  }

  public static NodeView of(Node n) {
    var cidrs = new ArrayList<String>();
    if (n.getSpec() != null) {
      if (n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()) {
        cidrs.addAll(n.getSpec().getPodCIDRs());
      } else if (n.getSpec().getPodCIDR() != null) {
        cidrs.add(n.getSpec().getPodCIDR());
      }
    }
    var ips = new ArrayList<String>();
    if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType()) && a.getAddress() != null) {
          ips.add(a.getAddress());
        }
      }
    }
    return new NodeView(n.getMetadata().getName(), cidrs, ips);
  }

  /** The slice view, or null when the slice names no owning Service. */
  public static SliceView of(EndpointSlice e) {
    var meta = e.getMetadata();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    String service = labels.get(SERVICE_NAME_LABEL);
    if (service == null) {
      return null;
    }
    var endpoints = new ArrayList<SliceView.EndpointView>();
    if (e.getEndpoints() != null) {
      for (Endpoint ep : e.getEndpoints()) {
        EndpointConditions c = ep.getConditions();
        boolean ready = c == null || !Boolean.FALSE.equals(c.getReady());
        boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
        List<String> addresses =
            ep.getAddresses() == null
                ? List.of()
                : ep.getAddresses().stream().filter(Objects::nonNull).toList();
        endpoints.add(new SliceView.EndpointView(addresses, ready, terminating, ep.getHostname()));
      }
    }
    var ports = new ArrayList<ServiceView.PortView>();
    if (e.getPorts() != null) {
      for (EndpointPort p : e.getPorts()) {
        if (p.getPort() != null) {
          ports.add(
              new ServiceView.PortView(nz(p.getName()), protocol(p.getProtocol()), p.getPort()));
        }
      }
    }
    return new SliceView(
        meta.getNamespace(), meta.getName(), service, nz(e.getAddressType()), endpoints, ports);
  }

  private static String protocol(String p) {
    return p == null ? "TCP" : p;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
