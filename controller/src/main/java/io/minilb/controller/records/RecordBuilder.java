package io.minilb.controller.records;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.NodeView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.net.Cidr;
import io.minilb.snapshot.RRKey;
import io.minilb.snapshot.RRSet;
import io.minilb.snapshot.Rdata;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
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
 *
 * <p>A build is incremental but its result is not: each Service's part is reused from the build
 * before only while everything it is a function of is unchanged ({@link ServiceParts}), and every
 * cross-object rule (host ownership, the snapshot's record limit, the apexes) is applied to all
 * parts again. A new builder's first build is the full build, and every later build equals it.
 * Builds are serialized.
 */
public final class RecordBuilder {

  /**
   * What a build produces. Immutable.
   *
   * @param dropped objects left out entirely (their records could not be built, or did not fit)
   * @param limited objects published only in part, because they were over a per-object limit
   */
  public record Build(
      List<String> zones,
      List<RRSet> records,
      List<Finding> findings,
      List<Finding> dropped,
      List<Finding> limited) {
    public Build {
      zones = List.copyOf(zones);
      records = List.copyOf(records);
      findings = List.copyOf(findings);
      dropped = List.copyOf(dropped);
      limited = List.copyOf(limited);
    }
  }

  /** Reasons of the findings that {@link Build#limited()} lists. */
  private static final Set<String> LIMIT_REASONS =
      Set.of(
          HostClaims.TOO_MANY_HOSTS,
          ServiceTarget.TOO_MANY_ENDPOINTS,
          ServiceTarget.TOO_MANY_RECORDS);

  /** Parts are keyed by kind and object: a Service and an Ingress may share a name. */
  private record PartKey(String kind, ObjectKey key) {}

  private static final Comparator<Part> OLDEST_FIRST =
      Comparator.<Part, Instant>comparing(p -> p.created)
          .thenComparing(p -> p.key)
          .thenComparing(p -> p.kind);

  private final ZoneConfig zone;
  private final Limits limits;
  private final ServiceParts cache;
  private final int nsLength;
  private final int soaLength;

  /** With the default {@link Limits}. */
  public RecordBuilder(ZoneConfig zone) {
    this(zone, Limits.DEFAULTS);
  }

  public RecordBuilder(ZoneConfig zone, Limits limits) {
    this(zone, limits, new ServiceParts());
  }

  RecordBuilder(ZoneConfig zone, Limits limits, ServiceParts cache) {
    this.zone = zone;
    this.limits = limits;
    this.cache = cache;
    this.nsLength = Encode.ns(zone.nsName()).length();
    this.soaLength = soa(zone.domain(), 0).rdata().get(0).length(); // the serial has a fixed width
  }

  /**
   * Builds the record set of {@code state}. An object whose records cannot be built (any runtime
   * exception in its part of the build, e.g. a name over 255 octets) is left out and listed in
   * {@link Build#dropped()}; every other object is still published.
   *
   * <p>Objects are admitted oldest first ({@code creationTimestamp}, then namespace/name, then
   * kind), each with all of its records (a Service with its endpoint, SRV, PTR and {@code
   * minilb/host} names; an Ingress or route with its hosts) while they fit under {@link
   * Limits#records()}, {@link Limits#names()} and {@link Limits#snapshotBytes()}. One that does not
   * fit publishes nothing ({@code RecordLimitReached}, {@code NameLimitReached}, {@code
   * SnapshotSizeLimitReached}), so a newer object never takes records from an older one.
   *
   * <p>No object's part exceeds {@link Limits#recordsPerObject()}, so no old object can take the
   * whole snapshot: a Service is cut to a stable subset of its addresses before its records are
   * built ({@link ServiceTarget#withinRecords}), leaving room for its {@code minilb/host} names; an
   * object's hosts are then added in order while they fit ({@code TooManyRecords} for both).
   */
  public synchronized Build build(ClusterState state) {
    var report = new Report();
    var zones = new TreeSet<String>();
    zones.add(zone.domain());
    var reverse = cache.reverse(reverseZones(state.nodes()));
    zones.addAll(reverse.keySet());

    var served = new TreeMap<ObjectKey, ServiceTarget>();
    var parts = new HashMap<PartKey, Part>();
    var slicesByService = new HashMap<ObjectKey, List<SliceView>>();
    state
        .slices()
        .forEach(
            s -> slicesByService.computeIfAbsent(s.serviceKey(), k -> new ArrayList<>()).add(s));
    for (ServiceView svc : state.services()) {
      if (!zone.qualifies(svc)) {
        continue;
      }
      var input =
          new ServiceParts.Input(svc, slicesByService.getOrDefault(svc.key(), List.of()), reverse);
      ServiceParts.Result r = cache.get(svc.key(), input, this::service);
      report.findings.addAll(r.findings());
      report.dropped.addAll(r.dropped());
      if (r.target() != null) {
        parts.put(
            new PartKey("Service", svc.key()),
            new Part(
                "Service", svc.key(), svc.created(), r.records(), r.size(), r.names(), r.bytes()));
        served.put(svc.key(), r.target());
      }
    }
    cache.sweep();

    var overRecords = new TreeSet<String>();
    for (HostClaims.Alias alias : HostClaims.resolve(zone, limits, state, served, report)) {
      try {
        String owner = alias.host() + ".";
        var own = new Records();
        alias.addresses().forEach(a -> own.add(owner, type(a), alias.ttl(), Encode.address(a)));
        String apex = HostNames.isWildcard(alias.host()) ? owner.substring(2) : owner;
        boolean ownZone = !HostNames.within(alias.host(), zone.domainName());
        if (ownZone) {
          Encode.name(apex); // the NS added below must be buildable too
        }
        Part part = part(parts, alias.kind(), alias.source(), alias.created());
        int zoneCost = ownZone && !part.zones().contains(apex) ? 2 : 0;
        if (part.size() + 2 * part.zones().size() + own.size() + zoneCost
            > limits.recordsPerObject()) {
          if (overRecords.add(alias.kind() + " " + alias.source())) {
            report.finding(tooManyRecords(alias.kind(), alias.source()));
          }
          continue;
        }
        part.add(own, NameCount.withAncestors(owner), WireSize.of(own.toList()));
        if (ownZone) {
          part.addZone(apex);
        }
      } catch (RuntimeException e) {
        report.drop(alias.kind(), alias.source(), e);
      }
    }
    var records = new TreeMap<RRKey, RRSet>();
    var apex = new Records();
    glue().forEach(a -> apex.add(zone.nsName(), type(a), zone.ttl(), Encode.address(a)));
    admit(parts.values(), records, zones, WireSize.of(apex.toList()), report);
    Rdata ns = Encode.ns(zone.nsName());
    zones.forEach(z -> apex.add(z, Type.NS, zone.ttl(), ns));
    Part.merge(records, apex.toList());
    var limited = report.findings.stream().filter(f -> LIMIT_REASONS.contains(f.reason())).toList();
    return new Build(
        List.copyOf(zones),
        List.copyOf(records.values()),
        report.findings,
        report.dropped,
        limited);
  }

  /**
   * One Service's part: what the loop over Services in {@link #build} did for it before parts were
   * cached. An exception leaves it out with the findings it raised so far; one after its records
   * were built (the port check) still serves them, as it always did.
   */
  private ServiceParts.Result service(ServiceParts.Input in) {
    ServiceView svc = in.service();
    var report = new Report();
    ServiceTarget served = null;
    List<RRSet> own = null;
    int size = 0;
    int names = 0;
    long bytes = 0;
    try {
      var target =
          ServiceTarget.of(zone, svc, in.slices(), limits.endpointsPerService(), report::finding);
      int hosts =
          HostNames.parseList(
                  svc.annotations().get(HostClaims.HOST_ANNOTATION), limits.hostsPerObject())
              .valid()
              .size();
      target =
          target.withinRecords(
              limits.recordsPerObject(), hosts, a -> inReverse(in.reverse(), a), report::finding);
      var records = new Records();
      addService(records, target, in.reverse());
      own = records.toList();
      size = records.size();
      names = NameCount.of(own);
      bytes = WireSize.of(own);
      // kept until the Service changes: host claims read only its name, TTL and addresses, so
      // the endpoints (the bulk of a target) are not held
      served = target.withoutEndpoints();
      PortMismatch.check(svc, in.slices(), zone.hostname(svc.namespace(), svc.name()))
          .ifPresent(report::finding);
    } catch (RuntimeException e) {
      report.drop("Service", svc.key(), e);
    }
    return new ServiceParts.Result(
        served, own, size, names, bytes, report.findings, report.dropped);
  }

  private Finding tooManyRecords(String kind, ObjectKey key) {
    return Finding.warning(
        kind,
        key,
        ServiceTarget.TOO_MANY_RECORDS,
        "more than "
            + limits.recordsPerObject()
            + " records (each host with every address it resolves to); the first hosts that fit"
            + " are served (--max-records-per-object)");
  }

  private static boolean inReverse(Map<String, Cidr> reverse, InetAddress a) {
    for (Cidr c : reverse.values()) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static Part part(Map<PartKey, Part> parts, String kind, ObjectKey key, Instant created) {
    return parts.computeIfAbsent(
        new PartKey(kind, key), k -> new Part(kind, key, created, List.of(), 0, 0, 0));
  }

  /** The addresses of the NS name, published when it is inside the zone. */
  private List<InetAddress> glue() {
    return HostNames.within(zone.nsName(), zone.domain()) ? zone.nsAddresses() : List.of();
  }

  /**
   * Adds whole parts, oldest first, while they fit under the record, byte and name limits. Every
   * zone also holds an NS and an SOA, so a part that creates zones counts those too: otherwise
   * names in zones of their own would fill three times the limit.
   *
   * <p>Bytes are each part's count, made once with the part ({@link Part#bytes()}), and each new
   * zone's entry, NS and SOA: adding them up costs a build one sum per part, and is over the
   * encoding only by the owner and type of an RRset two parts share and by the version's unused
   * bytes.
   *
   * <p>Names are counted as a resolver's index counts them, owners and the empty non-terminals
   * above them, each once. A cluster's parts share few names, so the sum of each part's own count
   * is close to the total, and while that sum fits (as in any cluster under the default limits) no
   * part can be over and none is counted again; only past it does each build count every name.
   */
  private void admit(
      Collection<Part> parts,
      Map<RRKey, RRSet> records,
      Set<String> zones,
      long glueBytes,
      Report report) {
    int total = 2 * zones.size() + glue().size();
    long bytes = WireSize.VERSION + glueBytes;
    for (String z : zones) {
      bytes += zoneBytes(z);
    }
    var names = new NameCount();
    zones.forEach(names::add);
    if (!glue().isEmpty()) {
      names.add(zone.nsName());
    }
    long bound = names.size();
    for (Part p : parts) {
      bound += p.names();
    }
    boolean countNames = bound > limits.names();
    for (Part p : parts.stream().sorted(OLDEST_FIRST).toList()) {
      int size = p.size();
      long partBytes = p.bytes();
      for (String z : p.zones()) {
        if (!zones.contains(z)) {
          size += 2;
          partBytes += zoneBytes(z);
        }
      }
      if (total + size > limits.records()) {
        report.full(
            p.kind,
            p.key,
            Report.RECORD_LIMIT,
            "no DNS records published for it: its records would take the snapshot past"
                + " --max-records ("
                + limits.records()
                + "), which older objects already fill");
        continue;
      }
      if (bytes + partBytes > limits.snapshotBytes()) {
        report.full(
            p.kind,
            p.key,
            Report.SIZE_LIMIT,
            "no DNS records published for it: its records would take the snapshot's encoding"
                + " past --max-snapshot-bytes ("
                + limits.snapshotBytes()
                + " bytes), which older objects already fill");
        continue;
      }
      if (countNames) {
        List<String> missing = names.missing(p.own, p.extra(), p.zones());
        if (names.size() + missing.size() > limits.names()) {
          report.full(
              p.kind,
              p.key,
              Report.NAME_LIMIT,
              "no DNS records published for it: its names would take the snapshot past"
                  + " --max-names ("
                  + limits.names()
                  + "), which older objects already fill");
          continue;
        }
        names.addAll(missing);
      }
      total += size;
      bytes += partBytes;
      Part.merge(records, p.own);
      Part.merge(records, p.extra());
      zones.addAll(p.zones());
    }
  }

  /** Bytes zone {@code apex} adds to a snapshot: its {@code zones} entry, its NS and its SOA. */
  private int zoneBytes(String apex) {
    return WireSize.zone(apex)
        + WireSize.of(apex, Type.NS, zone.ttl(), nsLength)
        + WireSize.of(apex, Type.SOA, zone.ttl(), soaLength);
  }

  private void addService(Records records, ServiceTarget t, Map<String, Cidr> reverse) {
    Rdata serviceName = Encode.name(t.owner());
    // an address is in the Service's set and its endpoint's: one Rdata for both
    var rdata = new HashMap<InetAddress, Rdata>();
    Function<InetAddress, Rdata> address = a -> rdata.computeIfAbsent(a, Encode::address);
    t.addresses().forEach(a -> records.add(t.owner(), type(a), t.ttl(), address.apply(a)));
    t.endpoints()
        .forEach(
            (label, ep) -> {
              String target = label + "." + t.owner();
              for (InetAddress a : ep.addresses()) {
                records.add(target, type(a), t.ttl(), address.apply(a));
                if (inReverse(reverse, a)) {
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
