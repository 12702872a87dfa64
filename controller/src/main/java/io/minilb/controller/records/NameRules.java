package io.minilb.controller.records;

import java.util.Set;

/**
 * Which extra names no annotation, Ingress or route may claim, whoever is oldest: names minilb
 * publishes itself, or that would cover them. A wildcard {@code *.b} is judged by what it covers
 * and by the zone {@code b} it would create. Immutable.
 *
 * <ul>
 *   <li>anything under {@code arpa}: the reverse zones hold minilb's PTRs for pod IPs;
 *   <li>the zone apex, a wildcard directly below it, and any name above it (which would become a
 *       zone containing minilb's);
 *   <li>the NS name ({@code --ns-name}) and anything that covers it: its address is the glue;
 *   <li>{@code <svc>.<ns>.<domain>} and everything below it, whether a Service exists there or not:
 *       the Service's own A/AAAA, its endpoint names and its SRV names live there, and a name below
 *       a Service would shadow names that Service may publish later;
 *   <li>{@code <ns>.<domain>} where {@code <ns>} is a namespace with a Service in it: the parent of
 *       that namespace's Service names.
 * </ul>
 */
final class NameRules {

  private final ZoneConfig zone;
  private final String ns;
  private final Set<String> namespaces;

  NameRules(ZoneConfig zone, Set<String> namespaces) {
    this.zone = zone;
    this.ns = strip(zone.nsName());
    this.namespaces = Set.copyOf(namespaces);
  }

  /** Why {@code host} (normalized) cannot be claimed, or null when it can. */
  String refusal(String host) {
    String domain = zone.domainName();
    boolean wildcard = HostNames.isWildcard(host);
    String base = wildcard ? host.substring(2) : host;
    if (HostNames.within(base, "arpa")) {
      return "names under arpa are reserved for the PTR records minilb publishes";
    }
    if (host.equals(domain)) {
      return "the zone apex is reserved";
    }
    if (base.equals(domain)) {
      return "a wildcard at the zone apex would cover the name server and every namespace";
    }
    if (HostNames.within(domain, base)) {
      return "the name is above the zone apex " + domain;
    }
    if (HostNames.within(ns, base)) {
      return "the name server name " + ns + " is reserved";
    }
    if (!HostNames.within(host, domain)) {
      return null;
    }
    String[] relative = host.substring(0, host.length() - domain.length() - 1).split("\\.");
    if (relative.length >= 2) {
      return "names of the form <service>.<namespace>."
          + domain
          + " and every name below them belong to Services";
    }
    if (namespaces.contains(relative[0])) {
      return relative[0] + " is a namespace: its name holds the names of its Services";
    }
    return null;
  }

  private static String strip(String absolute) {
    return absolute.substring(0, absolute.length() - 1);
  }
}
