package io.minilb.controller.records;

import com.google.common.hash.Hashing;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.SliceView;
import io.minilb.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
  static final String INVALID_ADDRESS = "InvalidAddress";
  static final String TOO_MANY_ENDPOINTS = "TooManyEndpoints";
  static final String TOO_MANY_RECORDS = "TooManyRecords";
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ASCII_NUMBER = Pattern.compile("[0-9]{1,9}");
  private static final byte[] BROADCAST = {-1, -1, -1, -1};

  /** Bad addresses named in one warning; the rest are counted. */
  private static final int MAX_LISTED = 10;

  private static final Comparator<InetAddress> BY_BYTES =
      (a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress());

  /**
   * The order in which addresses over the limit are kept: a fixed hash of the address, so the
   * subset is the same from one build to the next and spread over every node's pod CIDR rather than
   * the lowest ones. A published address is displaced only by a new one that hashes lower.
   */
  private static final Comparator<InetAddress> SPREAD =
      Comparator.<InetAddress>comparingInt(
              a -> Hashing.murmur3_32_fixed().hashBytes(a.getAddress()).asInt())
          .thenComparing(BY_BYTES);

  /** One ready endpoint: its addresses and its ports by {@code name/protocol}. */
  record Endpoint(List<InetAddress> addresses, Map<String, Integer> ports) {}

  /**
   * Resolves {@code svc}, publishing at most {@code maxAddresses} addresses. Problems (a bad TTL
   * annotation, endpoint addresses that are not usable, too many addresses) are reported to {@code
   * findings}, one warning each.
   */
  static ServiceTarget of(
      ZoneConfig zone,
      ServiceView svc,
      List<SliceView> slices,
      int maxAddresses,
      Consumer<Finding> findings) {
    var addresses = new TreeSet<InetAddress>(BY_BYTES);
    var endpoints = new LinkedHashMap<String, Endpoint>();
    var rejected = new TreeMap<String, String>();
    int unlisted = 0;
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
          String why = a == null ? "not an IP address" : unusable(a);
          if (why == null) {
            ips.add(a);
            addresses.add(a);
          } else if (rejected.size() < MAX_LISTED) {
            rejected.put(a == null ? "'" + ip + "'" : ip, why);
          } else {
            unlisted++;
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
    if (!rejected.isEmpty()) {
      findings.accept(rejectedFinding(svc, rejected, unlisted));
    }
    var target =
        new ServiceTarget(
            svc,
            zone.owner(svc.namespace(), svc.name()),
            ttl(zone, svc, findings),
            List.copyOf(addresses),
            endpoints);
    if (addresses.size() > maxAddresses) {
      // fixed wording, without the live count: the Event recorder then sends it once, not per pod
      findings.accept(
          Finding.warning(
              "Service",
              svc.key(),
              TOO_MANY_ENDPOINTS,
              "more than "
                  + maxAddresses
                  + " endpoint addresses are ready; "
                  + maxAddresses
                  + " of them are published (--max-endpoints-per-service)"));
      target = target.keep(addresses.stream().sorted(SPREAD).limit(maxAddresses).toList());
    }
    return target;
  }

  /**
   * This target cut to the addresses whose records fit in {@code limit}, or this target when all
   * do. Each of {@code hosts} extra names is charged an NS and an SOA up front, as it may be a zone
   * of its own. An address costs its A at the Service name and one record at each extra name, and
   * per endpoint holding it an A at the endpoint name and, when {@code reversed}, two PTRs; an
   * endpoint's first address also pays its SRV, one per named port. Addresses are taken in the
   * fixed hash order of the address limit, so the subset is stable from build to build; they are
   * counted before any record is built.
   */
  ServiceTarget withinRecords(
      int limit, int hosts, Predicate<InetAddress> reversed, Consumer<Finding> findings) {
    long budget = limit - 2L * hosts;
    var holders = new HashMap<InetAddress, List<Endpoint>>();
    endpoints
        .values()
        .forEach(
            ep ->
                ep.addresses()
                    .forEach(a -> holders.computeIfAbsent(a, k -> new ArrayList<>()).add(ep)));
    Set<Endpoint> paid = Collections.newSetFromMap(new IdentityHashMap<>());
    var kept = new ArrayList<InetAddress>();
    long total = 0;
    for (InetAddress a : addresses.stream().sorted(SPREAD).toList()) {
      long cost = 1 + hosts;
      for (Endpoint ep : holders.getOrDefault(a, List.of())) {
        cost += 1 + (reversed.test(a) ? 2 : 0) + (paid.contains(ep) ? 0 : srvCount(ep));
      }
      if (total + cost > budget) {
        break;
      }
      total += cost;
      kept.add(a);
      paid.addAll(holders.getOrDefault(a, List.of()));
    }
    if (kept.size() == addresses.size()) {
      return this;
    }
    findings.accept(
        Finding.warning(
            "Service",
            key(),
            TOO_MANY_RECORDS,
            "more than "
                + limit
                + " records (each address with its endpoint name, PTRs, an SRV per named port and"
                + " its minilb/host names); a stable subset of the addresses is published"
                + " (--max-records-per-object)"));
    return keep(kept);
  }

  /** SRV records of {@code ep}: one per named Service port the endpoint serves. */
  int srvCount(Endpoint ep) {
    int n = 0;
    for (ServiceView.PortView port : service.ports()) {
      if (!port.name().isEmpty() && ep.ports().containsKey(port.name() + "/" + port.protocol())) {
        n++;
      }
    }
    return n;
  }

  /** This target without its endpoints: its name, TTL and published addresses. */
  ServiceTarget withoutEndpoints() {
    return new ServiceTarget(service, owner, ttl, addresses, Map.of());
  }

  /** This target with only {@code kept} of its addresses, at the Service name and its endpoints. */
  private ServiceTarget keep(Collection<InetAddress> kept) {
    var set = new TreeSet<InetAddress>(BY_BYTES);
    set.addAll(kept);
    var eps = new LinkedHashMap<String, Endpoint>();
    endpoints.forEach(
        (label, ep) -> {
          var addrs = ep.addresses().stream().filter(set::contains).toList();
          if (!addrs.isEmpty()) {
            eps.put(label, new Endpoint(addrs, ep.ports()));
          }
        });
    return new ServiceTarget(service, owner, ttl, List.copyOf(set), eps);
  }

  /**
   * Why {@code a} is no address of a pod that a client could reach, or null when it is one:
   * unspecified (and the rest of 0.0.0.0/8), broadcast, loopback, link-local or multicast.
   */
  static String unusable(InetAddress a) {
    byte[] b = a.getAddress();
    if (a.isAnyLocalAddress() || (b.length == 4 && b[0] == 0)) {
      return "unspecified";
    }
    if (b.length == 4 && Arrays.equals(b, BROADCAST)) {
      return "broadcast";
    }
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    return null;
  }

  private static Finding rejectedFinding(
      ServiceView svc, Map<String, String> rejected, int unlisted) {
    var parts = new ArrayList<String>();
    rejected.forEach((ip, why) -> parts.add(ip + " (" + why + ")"));
    if (unlisted > 0) {
      parts.add("and " + unlisted + " more");
    }
    return Finding.warning(
        "Service",
        svc.key(),
        INVALID_ADDRESS,
        "endpoint addresses not published: " + String.join(", ", parts));
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
    String digits = raw.trim();
    // ASCII only: Integer.parseInt would read full-width and other Unicode digits, and a sign
    if (ASCII_NUMBER.matcher(digits).matches()) {
      int ttl = Integer.parseInt(digits);
      if (ZoneConfig.validTtl(ttl)) {
        return ttl;
      }
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
