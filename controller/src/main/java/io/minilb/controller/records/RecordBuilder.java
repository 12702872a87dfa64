package io.minilb.controller.records;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.net.Cidr;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.xbill.DNS.Type;

/**
 * The record set as a pure function of the cluster views: no I/O, no clock, no fabric8. Output is
 * sorted and deterministic, so equal inputs give equal record sets and the publisher can detect "no
 * real change". SOAs are not built here: their serial belongs to the publisher.
 *
 * <p>Per served Service {@code <svc>.<ns>.<domain>}: A/AAAA of its published addresses; a name per
 * ready endpoint ({@code <hostname or dashed IP>.<svc>.<ns>.<domain>}) with its own A/AAAA; one SRV
 * per ready endpoint for each named port, carrying the endpoint's real port; and, inside the node
 * pod-CIDR reverse zones, PTRs to the endpoint name and the Service name. Then the extra hosts of
 * {@link HostClaims}, each outside the domain becoming a zone of its own, and NS at every apex.
 */
public final class RecordBuilder {

  /** What a build produces. Immutable. */
  public record Build(List<String> zones, List<RRSet> records, List<Finding> findings) {
    public Build {
      zones = List.copyOf(zones);
      records = List.copyOf(records);
      findings = List.copyOf(findings);
    }
  }

  private final ZoneConfig zone;

  public RecordBuilder(ZoneConfig zone) {
    this.zone = zone;
  }

  public ZoneConfig zone() {
    return zone;
  }

  /** Only Services and EndpointSlices; every other input empty. */
  public List<RRSet> build(List<ServiceView> services, List<SliceView> slices) {
    return build(ClusterState.of(services, slices)).records();
  }

  public Build build(ClusterState state) {
    var findings = new ArrayList<Finding>();
    Consumer<Finding> report = findings::add;
    var records = new Records();
    var zones = new TreeSet<String>();
    zones.add(zone.domain());
    var reverse = reverseZones(state.nodes());
    zones.addAll(reverse.keySet());

    var served = new TreeMap<ObjectKey, ServiceTarget>();
    var slicesByService = new HashMap<ObjectKey, List<SliceView>>();
    state
        .slices()
        .forEach(
            s -> slicesByService.computeIfAbsent(s.serviceKey(), k -> new ArrayList<>()).add(s));
    for (ServiceView svc : state.services()) {
      if (zone.qualifies(svc)) {
        served.put(
            svc.key(),
            ServiceTarget.of(
                zone, svc, slicesByService.getOrDefault(svc.key(), List.of()), report));
      }
    }
    served.values().forEach(t -> addService(records, t, reverse));

    for (HostClaims.Alias alias : HostClaims.resolve(zone, state, served, report)) {
      String owner = alias.host() + ".";
      alias.addresses().forEach(a -> records.add(owner, type(a), alias.ttl(), Encode.address(a)));
      if (!HostNames.within(alias.host(), zone.domainName())) {
        zones.add(HostNames.isWildcard(alias.host()) ? owner.substring(2) : owner);
      }
    }
    if (HostNames.within(zone.nsName(), zone.domain())) {
      zone.nsAddresses()
          .forEach(a -> records.add(zone.nsName(), type(a), zone.ttl(), Encode.address(a)));
    }
    Rdata ns = Encode.ns(zone.nsName());
    zones.forEach(z -> records.add(z, Type.NS, zone.ttl(), ns));
    return new Build(List.copyOf(zones), records.toList(), findings);
  }

  private void addService(Records records, ServiceTarget t, Map<String, Cidr> reverse) {
    Rdata serviceName = Encode.name(t.owner());
    t.addresses().forEach(a -> records.add(t.owner(), type(a), t.ttl(), Encode.address(a)));
    t.endpoints()
        .forEach(
            (label, ep) -> {
              String target = label + "." + t.owner();
              for (InetAddress a : ep.addresses()) {
                records.add(target, type(a), t.ttl(), Encode.address(a));
                if (reverse.values().stream().anyMatch(c -> c.contains(a))) {
                  String ptr = Reverse.name(a);
                  records.add(ptr, Type.PTR, t.ttl(), Encode.name(target));
                  records.add(ptr, Type.PTR, t.ttl(), serviceName);
                }
              }
              for (ServiceView.PortView port : t.service().ports()) {
                Integer real = ep.ports().get(port.name() + "/" + port.protocol());
                if (!port.name().isEmpty() && real != null) {
                  String srv =
                      "_"
                          + port.name()
                          + "._"
                          + port.protocol().toLowerCase(java.util.Locale.ROOT)
                          + "."
                          + t.owner();
                  records.add(srv, Type.SRV, t.ttl(), Encode.srv(0, 1, real, target));
                }
              }
            });
  }

  /** Reverse zone apex → the pod CIDR it was made for. */
  private static Map<String, Cidr> reverseZones(List<NodeView> nodes) {
    var out = new TreeMap<String, Cidr>();
    for (NodeView n : nodes) {
      for (String c : n.podCidrs()) {
        try {
          Cidr cidr = Cidr.parse(c);
          out.put(Reverse.zone(cidr), cidr);
        } catch (IllegalArgumentException e) {
          // reported with the routes
        }
      }
    }
    return out;
  }

  /** The SOA RRset at {@code apex} for {@code serial}. */
  public RRSet soa(String apex, long serial) {
    // refresh/retry/expire matter only to secondaries; minimum is the negative-caching TTL.
    return new RRSet(
        apex,
        Type.SOA,
        zone.ttl(),
        List.of(
            Encode.soa(
                zone.nsName(), "hostmaster." + zone.domain(), serial, 60, 30, 3600, zone.ttl())));
  }

  /** The SOA RRset at the main apex for {@code serial}. */
  public RRSet soa(long serial) {
    return soa(zone.domain(), serial);
  }

  private static int type(InetAddress a) {
    return a instanceof Inet4Address ? Type.A : Type.AAAA;
  }
}
