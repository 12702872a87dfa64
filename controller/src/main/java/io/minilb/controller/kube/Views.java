package io.minilb.controller.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.minilb.controller.view.GatewayView;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.RouteView;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Converts API objects into views at the edge; nothing past this class sees fabric8 types. The
 * strings views repeat (namespaces, names, ports, types) are shared through one {@link NamePool}.
 */
public final class Views {

  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String ANNOTATION_PREFIX = "minilb/";

  private static final NamePool POOL = new NamePool();

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
                  annotations.put(POOL.of(k), v);
                }
              });
    }
    var ports = new ArrayList<ServiceView.PortView>();
    if (spec != null && spec.getPorts() != null) {
      for (ServicePort p : spec.getPorts()) {
        if (p.getPort() != null) {
          ports.add(
              new ServiceView.PortView(
                  POOL.of(nz(p.getName())), protocol(p.getProtocol()), p.getPort()));
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
        POOL.of(meta.getNamespace()),
        POOL.of(meta.getName()),
        spec == null ? "" : POOL.of(nz(spec.getType())),
        spec == null ? null : POOL.of(spec.getLoadBalancerClass()),
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
    return new NodeView(POOL.of(n.getMetadata().getName()), cidrs, ips);
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
              new ServiceView.PortView(
                  POOL.of(nz(p.getName())), protocol(p.getProtocol()), p.getPort()));
        }
      }
    }
    return new SliceView(
        POOL.of(meta.getNamespace()),
        meta.getName(),
        POOL.of(service),
        POOL.of(nz(e.getAddressType())),
        endpoints,
        ports);
  }

  public static IngressView of(Ingress i) {
    var meta = i.getMetadata();
    var spec = i.getSpec();
    String cls = spec == null ? null : spec.getIngressClassName();
    if (cls == null && meta.getAnnotations() != null) {
      cls = meta.getAnnotations().get("kubernetes.io/ingress.class");
    }
    var hosts = new ArrayList<String>();
    if (spec != null && spec.getRules() != null) {
      for (IngressRule r : spec.getRules()) {
        if (r.getHost() != null && !hosts.contains(r.getHost())) {
          hosts.add(r.getHost());
        }
      }
    }
    if (spec != null && spec.getTls() != null) {
      for (IngressTLS t : spec.getTls()) {
        if (t.getHosts() != null) {
          t.getHosts().stream().filter(h -> h != null && !hosts.contains(h)).forEach(hosts::add);
        }
      }
    }
    var hostnames = new ArrayList<String>();
    var ips = new ArrayList<String>();
    if (i.getStatus() != null
        && i.getStatus().getLoadBalancer() != null
        && i.getStatus().getLoadBalancer().getIngress() != null) {
      for (IngressLoadBalancerIngress lb : i.getStatus().getLoadBalancer().getIngress()) {
        if (lb.getHostname() != null) {
          hostnames.add(lb.getHostname());
        }
        if (lb.getIp() != null) {
          ips.add(lb.getIp());
        }
      }
    }
    return new IngressView(
        POOL.of(meta.getNamespace()),
        POOL.of(meta.getName()),
        POOL.of(cls),
        instant(meta.getCreationTimestamp()),
        hosts,
        hostnames,
        ips);
  }

  /** A Gateway read as a generic resource. */
  public static GatewayView gateway(GenericKubernetesResource g) {
    var hostnames = new ArrayList<String>();
    var ips = new ArrayList<String>();
    for (Map<String, Object> a : maps(path(g.getAdditionalProperties(), "status", "addresses"))) {
      Object value = a.get("value");
      if (!(value instanceof String v)) {
        continue;
      }
      Object type = a.get("type");
      if ("Hostname".equals(type)) {
        hostnames.add(v);
      } else if (type == null || "IPAddress".equals(type)) {
        ips.add(v);
      }
    }
    return new GatewayView(
        POOL.of(g.getMetadata().getNamespace()),
        POOL.of(g.getMetadata().getName()),
        hostnames,
        ips);
  }

  /** An HTTPRoute, GRPCRoute or TLSRoute read as a generic resource. */
  public static RouteView route(GenericKubernetesResource r) {
    var meta = r.getMetadata();
    var hostnames = new ArrayList<String>();
    Object hs = path(r.getAdditionalProperties(), "spec", "hostnames");
    if (hs instanceof List<?> list) {
      list.stream()
          .filter(String.class::isInstance)
          .map(String.class::cast)
          .forEach(hostnames::add);
    }
    var gateways = new ArrayList<ObjectKey>();
    for (Map<String, Object> ref : maps(path(r.getAdditionalProperties(), "spec", "parentRefs"))) {
      Object kind = ref.getOrDefault("kind", "Gateway");
      Object group = ref.getOrDefault("group", "gateway.networking.k8s.io");
      if ("Gateway".equals(kind)
          && "gateway.networking.k8s.io".equals(group)
          && ref.get("name") instanceof String n) {
        Object ns = ref.get("namespace");
        gateways.add(
            new ObjectKey(POOL.of(ns instanceof String s ? s : meta.getNamespace()), POOL.of(n)));
      }
    }
    return new RouteView(
        POOL.of(r.getKind()),
        POOL.of(meta.getNamespace()),
        POOL.of(meta.getName()),
        instant(meta.getCreationTimestamp()),
        hostnames,
        gateways);
  }

  private static Object path(Map<String, Object> root, String... keys) {
    Object cur = root;
    for (String k : keys) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(k);
    }
    return cur;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object list) {
    if (!(list instanceof List<?> l)) {
      return List.of();
    }
    return l.stream().filter(Map.class::isInstance).map(o -> (Map<String, Object>) o).toList();
  }

  private static String protocol(String p) {
    return p == null ? "TCP" : POOL.of(p);
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
