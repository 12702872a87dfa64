package io.minilb.controller.records;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.GatewayView;
import io.minilb.controller.view.IngressView;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.RouteView;
import io.minilb.net.Cidr;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Extra host names and what they resolve to: the {@code minilb/host} annotation of served Services,
 * the hosts of Ingresses whose status points at a served Service (or carries IPs), and the
 * hostnames of Gateway API routes through their Gateways' status addresses. Answers are flattened
 * (no CNAME).
 *
 * <p>When several objects claim one host and point at different things, the oldest object wins
 * (then namespace/name order) and every other claimant gets a {@code HostConflict} warning.
 */
final class HostClaims {

  static final String HOST_ANNOTATION = "minilb/host";

  /** A resolved extra name. */
  /** A resolved extra name, with the object whose claim won it. */
  record Alias(String host, int ttl, List<InetAddress> addresses, String kind, ObjectKey source) {}

  /** What a claim points at; claims with equal identities never conflict. */
  private record Target(String identity, int ttl, List<InetAddress> addresses) {}

  private record Claim(
      String host, String kind, ObjectKey source, Instant created, Target target) {}

  private static final Comparator<Claim> OLDEST_FIRST =
      Comparator.comparing(Claim::created)
          .thenComparing(c -> c.source().namespace())
          .thenComparing(c -> c.source().name())
          .thenComparing(Claim::kind);

  private HostClaims() {}

  static List<Alias> resolve(
      ZoneConfig zone, ClusterState state, Map<ObjectKey, ServiceTarget> served, Report report) {
    Consumer<Finding> findings = report::finding;
    var byHostname = new HashMap<String, ServiceTarget>();
    served
        .values()
        .forEach(
            t -> byHostname.put(zone.hostname(t.service().namespace(), t.service().name()), t));
    var claims = new ArrayList<Claim>();
    for (ServiceTarget t : served.values()) {
      try {
        var parsed = HostNames.parseList(t.service().annotations().get(HOST_ANNOTATION));
        parsed
            .invalid()
            .forEach(h -> findings.accept(invalid("Service", t.key(), h, HOST_ANNOTATION)));
        for (String h : parsed.valid()) {
          claims.add(new Claim(h, "Service", t.key(), t.service().created(), serviceTarget(t)));
        }
      } catch (RuntimeException e) {
        report.drop("Service", t.key(), e);
      }
    }
    for (IngressView ing : state.ingresses()) {
      if (zone.ingressClass() != null && !zone.ingressClass().equals(ing.ingressClass())) {
        continue;
      }
      try {
        Target target = target(ing.statusHostnames(), ing.statusIps(), byHostname, zone.ttl());
        if (target != null) {
          addHosts(claims, findings, "Ingress", ing.key(), ing.created(), ing.hosts(), target);
        }
      } catch (RuntimeException e) {
        report.drop("Ingress", ing.key(), e);
      }
    }
    var gateways = new HashMap<ObjectKey, GatewayView>();
    state.gateways().forEach(g -> gateways.put(g.key(), g));
    for (RouteView route : state.routes()) {
      try {
        addRoute(zone, route, gateways, byHostname, claims, findings);
      } catch (RuntimeException e) {
        report.drop(route.kind(), new ObjectKey(route.namespace(), route.name()), e);
      }
    }
    return winners(zone, claims, findings);
  }

  private static void addRoute(
      ZoneConfig zone,
      RouteView route,
      Map<ObjectKey, GatewayView> gateways,
      Map<String, ServiceTarget> byHostname,
      List<Claim> claims,
      Consumer<Finding> findings) {
    var names = new ArrayList<String>();
    var ips = new ArrayList<String>();
    for (ObjectKey ref : route.gateways()) {
      GatewayView g = gateways.get(ref);
      if (g != null) {
        names.addAll(g.hostnames());
        ips.addAll(g.ips());
      }
    }
    Target target = target(names, ips, byHostname, zone.ttl());
    if (target != null) {
      var key = new ObjectKey(route.namespace(), route.name());
      addHosts(claims, findings, route.kind(), key, route.created(), route.hostnames(), target);
    }
  }

  private static List<Alias> winners(
      ZoneConfig zone, List<Claim> claims, Consumer<Finding> findings) {
    var byHost = new LinkedHashMap<String, List<Claim>>();
    claims.stream()
        .sorted(OLDEST_FIRST)
        .forEach(c -> byHost.computeIfAbsent(c.host(), h -> new ArrayList<>()).add(c));
    var aliases = new ArrayList<Alias>();
    byHost.forEach(
        (host, contenders) -> {
          Claim winner = contenders.get(0);
          if (isServiceName(zone, host)) {
            contenders.forEach(
                c ->
                    findings.accept(
                        Finding.warning(
                            c.kind(),
                            c.source(),
                            "HostConflict",
                            "host "
                                + host
                                + " is a Service name in the "
                                + zone.domainName()
                                + " zone and cannot be claimed")));
            return;
          }
          for (Claim c : contenders.subList(1, contenders.size())) {
            if (!c.target().identity().equals(winner.target().identity())) {
              findings.accept(
                  Finding.warning(
                      c.kind(),
                      c.source(),
                      "HostConflict",
                      "host "
                          + host
                          + " is already served for "
                          + winner.kind()
                          + " "
                          + winner.source()
                          + ", which is older; this claim is ignored"));
            }
          }
          aliases.add(
              new Alias(
                  host,
                  winner.target().ttl(),
                  winner.target().addresses(),
                  winner.kind(),
                  winner.source()));
        });
    return aliases;
  }

  /** {@code <svc>.<ns>.<domain>}-shaped names (and anything below them) belong to Services. */
  private static boolean isServiceName(ZoneConfig zone, String host) {
    if (!HostNames.within(host, zone.domainName()) || host.equals(zone.domainName())) {
      return false;
    }
    String relative = host.substring(0, host.length() - zone.domainName().length() - 1);
    return relative.split("\\.").length >= 2;
  }

  private static void addHosts(
      List<Claim> claims,
      Consumer<Finding> findings,
      String kind,
      ObjectKey key,
      Instant created,
      List<String> hosts,
      Target target) {
    for (String raw : hosts) {
      String h = HostNames.normalize(raw);
      if (h == null) {
        findings.accept(invalid(kind, key, raw, "hosts"));
      } else {
        claims.add(new Claim(h, kind, key, created, target));
      }
    }
  }

  /** Status hostnames that are served Services, plus literal IPs; null when neither. */
  private static Target target(
      List<String> hostnames, List<String> ips, Map<String, ServiceTarget> served, int ttl) {
    var identity = new TreeSet<String>();
    var addresses =
        new TreeSet<InetAddress>((a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress()));
    int minTtl = Integer.MAX_VALUE;
    for (String h : hostnames) {
      ServiceTarget t = served.get(strip(h));
      if (t != null) {
        identity.add("svc:" + t.key());
        addresses.addAll(t.addresses());
        minTtl = Math.min(minTtl, t.ttl());
      }
    }
    for (String ip : ips) {
      InetAddress a = Cidr.literal(ip);
      if (a != null) {
        identity.add("ip:" + a.getHostAddress());
        addresses.add(a);
        minTtl = Math.min(minTtl, ttl);
      }
    }
    return identity.isEmpty()
        ? null
        : new Target(String.join(",", identity), minTtl, List.copyOf(addresses));
  }

  private static Target serviceTarget(ServiceTarget t) {
    return new Target("svc:" + t.key(), t.ttl(), t.addresses());
  }

  private static String strip(String h) {
    String s = h.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static Finding invalid(String kind, ObjectKey key, String host, String field) {
    return Finding.warning(
        kind,
        key,
        "InvalidHost",
        "'"
            + host
            + "' in "
            + field
            + " is not a valid DNS name (RFC 1123; '*.' may lead); ignored");
  }
}
