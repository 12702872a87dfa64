package io.minilb.controller.records;

import io.minilb.controller.kube.ObjectKey;
import io.minilb.controller.kube.ServiceView;
import io.minilb.controller.kube.SliceView;
import io.minilb.snapshot.RRSet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.Type;

/**
 * The record set as a pure function of the cluster views: no I/O, no clock, no fabric8. Output is
 * sorted and deterministic, so equal inputs give equal record sets and the publisher can detect "no
 * real change". The SOA is not built here: its serial belongs to the publisher.
 */
public final class RecordBuilder {

  private static final Comparator<InetAddress> BY_BYTES =
      (a, b) -> java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());

  private final ZoneConfig zone;

  public RecordBuilder(ZoneConfig zone) {
    this.zone = zone;
  }

  public ZoneConfig zone() {
    return zone;
  }

  /** Every RRset but the SOA, sorted by owner and type. */
  public List<RRSet> build(List<ServiceView> services, List<SliceView> slices) {
    Map<ObjectKey, List<SliceView>> slicesByService = new HashMap<>();
    for (SliceView s : slices) {
      slicesByService.computeIfAbsent(s.serviceKey(), k -> new ArrayList<>()).add(s);
    }
    var out = new TreeMap<String, List<RRSet>>();
    out.put(
        zone.domain(),
        List.of(new RRSet(zone.domain(), Type.NS, zone.ttl(), List.of(Rdata.ns(zone.nsName())))));
    for (ServiceView svc : services) {
      if (!zone.qualifies(svc)) {
        continue;
      }
      var v4 = new TreeSet<>(BY_BYTES);
      var v6 = new TreeSet<>(BY_BYTES);
      for (SliceView slice : slicesByService.getOrDefault(svc.key(), List.of())) {
        if (!slice.addressType().equals("IPv4") && !slice.addressType().equals("IPv6")) {
          continue; // FQDN slices name no address we could publish
        }
        for (SliceView.EndpointView ep : slice.endpoints()) {
          if (!counts(svc, ep)) {
            continue;
          }
          for (String ip : ep.addresses()) {
            InetAddress a = Cidr.literal(ip);
            if (a != null) {
              (a instanceof Inet4Address ? v4 : v6).add(a);
            }
          }
        }
      }
      String owner = zone.owner(svc.namespace(), svc.name());
      var sets = new ArrayList<RRSet>(2);
      if (!v4.isEmpty()) {
        sets.add(new RRSet(owner, Type.A, zone.ttl(), v4.stream().map(Rdata::address).toList()));
      }
      if (!v6.isEmpty()) {
        sets.add(new RRSet(owner, Type.AAAA, zone.ttl(), v6.stream().map(Rdata::address).toList()));
      }
      if (!sets.isEmpty()) {
        out.put(owner, sets);
      }
    }
    return out.values().stream().flatMap(List::stream).toList();
  }

  /** The SOA RRset at the apex for {@code serial}. */
  public RRSet soa(long serial) {
    String mname = zone.nsName();
    String rname = "hostmaster." + zone.domain();
    // refresh/retry/expire matter only to secondaries; minimum is the negative-caching TTL.
    return new RRSet(
        zone.domain(),
        Type.SOA,
        zone.ttl(),
        List.of(Rdata.soa(mname, rname, serial, 60, 30, 3600, zone.ttl())));
  }

  /**
   * Whether an endpoint's addresses are published: ready (true or unset) and not terminating; with
   * {@code publishNotReadyAddresses}, any endpoint that is not terminating.
   */
  static boolean counts(ServiceView svc, SliceView.EndpointView ep) {
    if (ep.terminating()) {
      return false;
    }
    return ep.ready() || svc.publishNotReadyAddresses();
  }
}
