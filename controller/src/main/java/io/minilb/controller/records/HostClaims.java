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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Extra host names and what they resolve to: the {@code minilb/host} annotation of served Services,
 * the hosts of Ingresses whose status points at a served Service (or carries IPs), and the
 * hostnames of Gateway API routes through their Gateways' status addresses. Answers are flattened
 * (no CNAME).
 *
 * <p>Names that {@link NameRules} reserves are refused to every claimant ({@code HostRefused}).
 * When several objects claim one of the other hosts and point at different things, the oldest
 * object wins (then namespace/name order) and every other claimant gets a {@code HostConflict}
 * warning. Each object claims at most {@link Limits#hostsPerObject()} distinct names.
 */
final class HostClaims {

  static final String HOST_ANNOTATION = "minilb/host";
  static final String REFUSED = "HostRefused";
  static final String TOO_MANY_HOSTS = "TooManyHosts";

  /** A resolved extra name, with the object whose claim won it. */
  record Alias(
      String host,
      int ttl,
      List<InetAddress> addresses,
      String kind,
      ObjectKey source,
      Instant created) {}

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
      ZoneConfig zone,
      Limits limits,
      ClusterState state,
      Map<ObjectKey, ServiceTarget> served,
      Report report) {
    Consumer<Finding> findings = report::finding;
    var byHostname = new HashMap<String, ServiceTarget>();
    served
        .values()
        .forEach(
            t -> byHostname.put(zone.hostname(t.service().namespace(), t.service().name()), t));
    var claims = new ArrayList<Claim>();
    int max = limits.hostsPerObject();
    for (ServiceTarget t : served.values()) {
      try {
        var parsed = HostNames.parseList(t.service().annotations().get(HOST_ANNOTATION), max);
        invalid("Service", t.key(), parsed.invalid(), HOST_ANNOTATION).ifPresent(findings);
        if (parsed.unread() > 0) {
          findings.accept(
              tooMany("Service", t.key(), HOST_ANNOTATION, max, parsed.unread() + " more entries"));
        }
        for (String h : parsed.valid()) {
          claims.add(new Claim(h, "Service", t.key(), t.service().created(), serviceTarget(t)));
        }
      } catch (RuntimeException e) {
        report.drop("Service", t.key(), e);
      }
    }
    var hosts = new Hosts(claims, findings, max);
    for (IngressView ing : state.ingresses()) {
      if (zone.ingressClass() != null && !zone.ingressClass().equals(ing.ingressClass())) {
        continue;
      }
      try {
        var ips = usable("Ingress", ing.key(), ing.statusIps(), findings);
        Target target = target(ing.statusHostnames(), ips, byHostname, zone.ttl());
        if (target != null) {
          hosts.add("Ingress", ing.key(), ing.created(), ing.hosts(), target);
        }
      } catch (RuntimeException e) {
        report.drop("Ingress", ing.key(), e);
      }
    }
    var gateways = new HashMap<ObjectKey, GatewayView>();
    for (GatewayView g : state.gateways()) {
      var ips = usable("Gateway", g.key(), g.ips(), findings);
      gateways.put(g.key(), new GatewayView(g.namespace(), g.name(), g.hostnames(), ips));
    }
    for (RouteView route : state.routes()) {
      try {
        addRoute(zone, route, gateways, byHostname, hosts);
      } catch (RuntimeException e) {
        report.drop(route.kind(), new ObjectKey(route.namespace(), route.name()), e);
      }
    }
    var namespaces = new HashSet<String>();
    state.services().forEach(s -> namespaces.add(s.namespace()));
    return winners(new NameRules(zone, namespaces), claims, findings);
  }

  private static void addRoute(
      ZoneConfig zone,
      RouteView route,
      Map<ObjectKey, GatewayView> gateways,
      Map<String, ServiceTarget> byHostname,
      Hosts hosts) {
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
      hosts.add(route.kind(), key, route.created(), route.hostnames(), target);
    }
  }

  private static List<Alias> winners(
      NameRules rules, List<Claim> claims, Consumer<Finding> findings) {
    var byHost = new LinkedHashMap<String, List<Claim>>();
    // kind, object, rule → the hosts it refused there: one Event per object and rule
    var refused = new TreeMap<List<String>, List<String>>(Comparator.comparing(Object::toString));
    var sources = new HashMap<List<String>, Claim>();
    claims.stream()
        .sorted(OLDEST_FIRST)
        .forEach(
            c -> {
              String rule = rules.refusal(c.host());
              if (rule == null) {
                byHost.computeIfAbsent(c.host(), h -> new ArrayList<>()).add(c);
                return;
              }
              var key = List.of(c.kind(), c.source().toString(), rule);
              refused.computeIfAbsent(key, k -> new ArrayList<>()).add(c.host());
              sources.putIfAbsent(key, c);
            });
    refused.forEach(
        (key, names) -> {
          Claim c = sources.get(key);
          findings.accept(
              Finding.warning(
                  c.kind(),
                  c.source(),
                  REFUSED,
                  String.join(", ", names) + ": refused: " + key.get(2)));
        });
    var aliases = new ArrayList<Alias>();
    byHost.forEach(
        (host, contenders) -> {
          Claim winner = contenders.get(0);
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
                  winner.source(),
                  winner.created()));
        });
    return aliases;
  }

  /** Collects the hosts of Ingresses and routes, at most {@code max} distinct ones per object. */
  private record Hosts(List<Claim> claims, Consumer<Finding> findings, int max) {
    void add(String kind, ObjectKey key, Instant created, List<String> raw, Target target) {
      var valid = new LinkedHashSet<String>();
      var invalid = new ArrayList<String>();
      int over = 0;
      for (String r : raw) {
        String h = HostNames.normalize(r);
        if (h == null) {
          invalid.add(r);
        } else if (valid.size() < max || valid.contains(h)) {
          valid.add(h);
        } else {
          over++;
        }
      }
      invalid(kind, key, invalid, "hosts").ifPresent(findings);
      if (over > 0) {
        findings.accept(tooMany(kind, key, "hosts", max, over + " more"));
      }
      valid.forEach(h -> claims.add(new Claim(h, kind, key, created, target)));
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

  /**
   * The status addresses of {@code kind key} that a client can reach; the others (see {@link
   * ServiceTarget#unusable}) are left out with one warning, as a Service's endpoints are.
   */
  private static List<String> usable(
      String kind, ObjectKey key, List<String> ips, Consumer<Finding> findings) {
    var kept = new ArrayList<String>();
    var rejected = new ArrayList<String>();
    for (String ip : ips) {
      InetAddress a = Cidr.literal(ip);
      String why = a == null ? "not an IP address" : ServiceTarget.unusable(a);
      if (why == null) {
        kept.add(ip);
      } else {
        rejected.add((a == null ? "'" + ip + "'" : ip) + " (" + why + ")");
      }
    }
    if (!rejected.isEmpty()) {
      findings.accept(
          Finding.warning(
              kind,
              key,
              ServiceTarget.INVALID_ADDRESS,
              "status addresses not published: " + String.join(", ", rejected)));
    }
    return kept;
  }

  private static Target serviceTarget(ServiceTarget t) {
    return new Target("svc:" + t.key(), t.ttl(), t.addresses());
  }

  private static String strip(String h) {
    String s = h.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** One warning for all the bad names of one field, or none. */
  private static Optional<Finding> invalid(
      String kind, ObjectKey key, List<String> hosts, String field) {
    if (hosts.isEmpty()) {
      return Optional.empty();
    }
    var quoted = new ArrayList<String>();
    hosts.stream().limit(10).forEach(h -> quoted.add("'" + h + "'"));
    String more = hosts.size() > 10 ? " and " + (hosts.size() - 10) + " more" : "";
    return Optional.of(
        Finding.warning(
            kind,
            key,
            "InvalidHost",
            String.join(", ", quoted)
                + more
                + " in "
                + field
                + (hosts.size() == 1 ? " is not a valid DNS name" : " are not valid DNS names")
                + " (RFC 1123, ASCII; '*.' may lead); ignored"));
  }

  private static Finding tooMany(String kind, ObjectKey key, String field, int max, String rest) {
    return Finding.warning(
        kind,
        key,
        TOO_MANY_HOSTS,
        field
            + " names more than "
            + max
            + " hosts; the first "
            + max
            + " are served and "
            + rest
            + " ignored (--max-hosts-per-object)");
  }
}
