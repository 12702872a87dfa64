package io.minilb.controller.records;

import io.minilb.controller.view.ServiceView;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the operator chose for the zone: its apex, which Services are ours, the default TTL and the
 * name server name. Immutable; validated on construction.
 *
 * @param domain the zone apex, absolute and lower case (e.g. {@code minilb.})
 * @param lbClass the {@code spec.loadBalancerClass} minilb serves
 * @param ttl default record TTL in seconds
 * @param nsName the apex NS target and SOA MNAME, absolute
 * @param claimClassless also serve LoadBalancer Services that name no class
 * @param ingressClass only read Ingresses of this class; null reads all
 * @param nsAddresses addresses of {@code nsName}, published as glue when it is inside the zone
 */
public record ZoneConfig(
    String domain,
    String lbClass,
    int ttl,
    String nsName,
    boolean claimClassless,
    String ingressClass,
    List<InetAddress> nsAddresses) {

  /** Shortest record TTL, for {@code --ttl} and the {@code minilb/ttl} annotation alike. */
  public static final int MIN_TTL = 1;

  /** Longest record TTL: DNS here follows pods, so an hour is already long. */
  public static final int MAX_TTL = 3600;

  /** Without name-server addresses. */
  public ZoneConfig(
      String domain,
      String lbClass,
      int ttl,
      String nsName,
      boolean claimClassless,
      String ingressClass) {
    this(domain, lbClass, ttl, nsName, claimClassless, ingressClass, List.of());
  }

  public ZoneConfig {
    domain = dnsName("--domain", domain);
    nsName = dnsName("--ns-name", nsName == null || nsName.isBlank() ? "ns." + domain : nsName);
    Objects.requireNonNull(lbClass, "lbClass");
    nsAddresses = List.copyOf(nsAddresses);
    if (!validTtl(ttl)) {
      throw new IllegalArgumentException(
          "--ttl must be between " + MIN_TTL + " and " + MAX_TTL + ", got " + ttl);
    }
  }

  /** Whether {@code ttl} is within {@link #MIN_TTL} and {@link #MAX_TTL}. */
  public static boolean validTtl(int ttl) {
    return ttl >= MIN_TTL && ttl <= MAX_TTL;
  }

  public static ZoneConfig defaults() {
    return new ZoneConfig("minilb", "minilb", 5, null, false, null);
  }

  /** Whether minilb serves this Service: type LoadBalancer with our class (or none, if claimed). */
  public boolean qualifies(ServiceView s) {
    if (!ServiceView.LOAD_BALANCER.equals(s.type())) {
      return false;
    }
    String cls = s.loadBalancerClass();
    return lbClass.equals(cls) || (claimClassless && (cls == null || cls.isEmpty()));
  }

  /** The apex without its trailing dot, as host names are compared. */
  public String domainName() {
    return domain.substring(0, domain.length() - 1);
  }

  /** {@code <svc>.<ns>.<domain>} without the trailing dot, as written into the Service status. */
  public String hostname(String namespace, String service) {
    return service + "." + namespace + "." + domain.substring(0, domain.length() - 1);
  }

  /** {@code <svc>.<ns>.<domain>.}, the owner name of the Service's records. */
  public String owner(String namespace, String service) {
    return service + "." + namespace + "." + domain;
  }

  /**
   * {@code name} as an absolute lower-case DNS name, rejected (naming {@code flag}) unless every
   * record built at or under it can be encoded: labels of 1 to 63 octets, at most 255 in all.
   */
  private static String dnsName(String flag, String name) {
    String n;
    try {
      n = absolute(name);
      org.xbill.DNS.Name.fromString(n);
    } catch (IllegalArgumentException | org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException(
          flag + ": '" + name + "' is not a DNS name: " + e.getMessage());
    }
    return n;
  }

  private static String absolute(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.isEmpty() || n.equals(".")) {
      throw new IllegalArgumentException("empty domain name");
    }
    return n.endsWith(".") ? n : n + ".";
  }
}
