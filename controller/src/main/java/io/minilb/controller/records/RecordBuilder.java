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
  public record Build(
      List<String> zones, List<RRSet> records, List<Finding> findings, List<Finding> dropped) {
    public Build {
      zones = List.copyOf(zones);
      records = List.copyOf(records);
      findings = List.copyOf(findings);
      dropped = List.copyOf(dropped);
    }
  }

  private final ZoneConfig zone;

  public RecordBuilder(ZoneConfig zone) {
    this.zone = zone;
  }

  /**
   * Builds the record set of {@code state}. An object whose records cannot be built (any runtime
   * exception in its part of the build, e.g. a name over 255 octets) is left out and listed in
   * {@link Build#dropped()}; every other object is still published.
   */
  public Build build(ClusterState state) {
    var report = new Report();
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
      if (!zone.qualifies(svc)) {
        continue;
      }
      try {
        var target =
            ServiceTarget.of(
                zone, svc, slicesByService.getOrDefault(svc.key(), List.of()), report::finding);
        var own = new Records();
        addService(own, target, reverse);
        records.addAll(own);
        served.put(svc.key(), target);
        PortMismatch.check(
                svc,
                slicesByService.getOrDefault(svc.key(), List.of()),
                zone.hostname(svc.namespace(), svc.name()))
            .ifPresent(report::finding);
      } catch (RuntimeException e) {
        report.drop("Service", svc.key(), e);
      }
    }

    for (HostClaims.Alias alias : HostClaims.resolve(zone, state, served, report)) {
      try {
        String owner = alias.host() + ".";
        var own = new Records();
        alias.addresses().forEach(a -> own.add(owner, type(a), alias.ttl(), Encode.address(a)));
        String apex = HostNames.isWildcard(alias.host()) ? owner.substring(2) : owner;
        boolean ownZone = !HostNames.within(alias.host(), zone.domainName());
        if (ownZone) {
          Encode.name(apex); // the NS added below must be buildable too
        }
        records.addAll(own);
        if (ownZone) {
          zones.add(apex);
        }
      } catch (RuntimeException e) {
        report.drop(alias.kind(), alias.source(), e);
      }
    }
    if (HostNames.within(zone.nsName(), zone.domain())) {
      zone.nsAddresses()
          .forEach(a -> records.add(zone.nsName(), type(a), zone.ttl(), Encode.address(a)));
    }
    Rdata ns = Encode.ns(zone.nsName());
    zones.forEach(z -> records.add(z, Type.NS, zone.ttl(), ns));
    return new Build(List.copyOf(zones), records.toList(), report.findings, report.dropped);
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

  private static int type(InetAddress a) {
    return a instanceof Inet4Address ? Type.A : Type.AAAA;
  }
}
