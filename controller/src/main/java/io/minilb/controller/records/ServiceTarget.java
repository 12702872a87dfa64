package io.minilb.controller.records;

import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A served Service, resolved against its EndpointSlices: the owner name, the TTL, the published
 * addresses and the ready endpoints with their real ports. Immutable.
 *
 * @param addresses every published address, sorted, deduplicated
 * @param endpoints ready endpoints keyed by their DNS label (hostname, else the dashed IP)
 */
record ServiceTarget(
    ServiceView service,
    String owner,
    int ttl,
    List<InetAddress> addresses,
    Map<String, Endpoint> endpoints) {

  static final String TTL_ANNOTATION = "minilb/ttl";
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** One ready endpoint: its addresses and its ports by {@code name/protocol}. */
  record Endpoint(List<InetAddress> addresses, Map<String, Integer> ports) {}

  /** Resolves {@code svc}; TTL annotation problems are reported to {@code findings}. */
  static ServiceTarget of(
      ZoneConfig zone, ServiceView svc, List<SliceView> slices, Consumer<Finding> findings) {
    var addresses =
        new TreeSet<InetAddress>((a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress()));
    var endpoints = new LinkedHashMap<String, Endpoint>();
    for (SliceView slice : slices) {
      if (!slice.addressType().equals("IPv4") && !slice.addressType().equals("IPv6")) {
        continue; // FQDN slices name no address we could publish
      }
      var ports = new HashMap<String, Integer>();
      slice.ports().forEach(p -> ports.put(p.name() + "/" + p.protocol(), p.port()));
      for (SliceView.EndpointView ep : slice.endpoints()) {
        if (!counts(svc, ep)) {
          continue;
        }
        var ips = new ArrayList<InetAddress>();
        for (String ip : ep.addresses()) {
          InetAddress a = Cidr.literal(ip);
          if (a != null) {
            ips.add(a);
            addresses.add(a);
          }
        }
        if (ips.isEmpty()) {
          continue;
        }
        String label = label(ep.hostname(), ips.get(0));
        endpoints.merge(
            label,
            new Endpoint(ips, ports),
            (x, y) -> {
              var merged = new ArrayList<>(x.addresses());
              y.addresses().stream().filter(a -> !merged.contains(a)).forEach(merged::add);
              var mergedPorts = new HashMap<>(x.ports());
              mergedPorts.putAll(y.ports());
              return new Endpoint(merged, mergedPorts);
            });
      }
    }
    return new ServiceTarget(
        svc,
        zone.owner(svc.namespace(), svc.name()),
        ttl(zone, svc, findings),
        List.copyOf(addresses),
        endpoints);
  }

  ObjectKey key() {
    return service.key();
  }

  /**
   * Whether an endpoint's addresses are published: ready (true or unset) and not terminating; with
   * {@code publishNotReadyAddresses}, any endpoint that is not terminating.
   */
  static boolean counts(ServiceView svc, SliceView.EndpointView ep) {
    return !ep.terminating() && (ep.ready() || svc.publishNotReadyAddresses());
  }

  private static int ttl(ZoneConfig zone, ServiceView svc, Consumer<Finding> findings) {
    String raw = svc.annotations().get(TTL_ANNOTATION);
    if (raw == null) {
      return zone.ttl();
    }
    try {
      int ttl = Integer.parseInt(raw.trim());
      if (ZoneConfig.validTtl(ttl)) {
        return ttl;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    findings.accept(
        Finding.warning(
            "Service",
            svc.key(),
            "InvalidTTL",
            TTL_ANNOTATION
                + " '"
                + raw
                + "' is not a number of seconds from "
                + ZoneConfig.MIN_TTL
                + " to "
                + ZoneConfig.MAX_TTL
                + "; using "
                + zone.ttl()));
    return zone.ttl();
  }

  private static String label(String hostname, InetAddress first) {
    if (hostname != null && LABEL.matcher(hostname).matches()) {
      return hostname;
    }
    return com.google.common.net.InetAddresses.toAddrString(first)
        .replace('.', '-')
        .replace(':', '-');
  }
}
