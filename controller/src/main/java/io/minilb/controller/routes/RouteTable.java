package io.minilb.controller.routes;

import com.google.common.net.InetAddresses;
import io.minilb.controller.view.NodeView;
import io.minilb.net.Cidr;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The static routes a LAN router needs, {@code podCIDR via nodeIP}, one per node and address
 * family, rendered for the common router dialects. A pure function of the node views. Immutable.
 */
public final class RouteTable {

  /** One route. */
  public record Route(String node, Cidr destination, InetAddress gateway) {}

  /** Output dialects. */
  public enum Format {
    IP,
    ROUTEROS,
    OPENWRT,
    DHCP121;

    public static Format parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown route format '" + s + "' (ip, routeros, openwrt, dhcp121)");
      }
    }
  }

  private final List<Route> routes;
  private final List<String> warnings;

  private RouteTable(List<Route> routes, List<String> warnings) {
    this.routes = List.copyOf(routes);
    this.warnings = List.copyOf(warnings);
  }

  /** Each pod CIDR goes via the node's InternalIP of the same family. */
  public static RouteTable of(List<NodeView> nodes) {
    var routes = new ArrayList<Route>();
    var warnings = new ArrayList<String>();
    for (NodeView n : nodes.stream().sorted(Comparator.comparing(NodeView::name)).toList()) {
      if (n.podCidrs().isEmpty()) {
        warnings.add(
            "node "
                + n.name()
                + " has no spec.podCIDRs; run kube-controller-manager with"
                + " --allocate-node-cidrs so minilb can route to its pods");
        continue;
      }
      for (String c : n.podCidrs()) {
        Cidr cidr;
        try {
          cidr = Cidr.parse(c);
        } catch (IllegalArgumentException e) {
          warnings.add("node " + n.name() + ": " + e.getMessage());
          continue;
        }
        InetAddress gw =
            n.internalIps().stream()
                .map(Cidr::literal)
                .filter(a -> a != null && (a instanceof Inet4Address) == cidr.isIpv4())
                .findFirst()
                .orElse(null);
        if (gw == null) {
          warnings.add(
              "node "
                  + n.name()
                  + " has pod CIDR "
                  + cidr
                  + " but no IPv"
                  + (cidr.isIpv4() ? "4" : "6")
                  + " InternalIP to route it via");
          continue;
        }
        routes.add(new Route(n.name(), cidr, gw));
      }
    }
    return new RouteTable(routes, warnings);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteTable t && routes.equals(t.routes) && warnings.equals(t.warnings);
  }

  @Override
  public int hashCode() {
    return routes.hashCode() * 31 + warnings.hashCode();
  }

  public List<Route> routes() {
    return routes;
  }

  public List<String> warnings() {
    return warnings;
  }

  /**
   * The routes in {@code format}, one command or line per route, newline-terminated.
   *
   * @throws IllegalArgumentException for {@link Format#DHCP121}, which needs a gateway: use {@link
   *     #render(RouteRequest)}
   */
  public String render(Format format) {
    return render(new RouteRequest(format, null));
  }

  /** The routes as {@code request} asks, newline-terminated. */
  public String render(RouteRequest request) {
    var sb = new StringBuilder();
    Format format = request.format();
    switch (format) {
      case IP ->
          routes.forEach(
              r ->
                  sb.append(r.destination().isIpv4() ? "ip route add " : "ip -6 route add ")
                      .append(r.destination())
                      .append(" via ")
                      .append(InetAddresses.toAddrString(r.gateway()))
                      .append('\n'));
      case ROUTEROS ->
          routes.forEach(
              r ->
                  sb.append(r.destination().isIpv4() ? "/ip route add" : "/ipv6 route add")
                      .append(" dst-address=")
                      .append(r.destination())
                      .append(" gateway=")
                      .append(InetAddresses.toAddrString(r.gateway()))
                      .append(" comment=\"minilb ")
                      .append(r.node())
                      .append("\"\n"));
      case OPENWRT -> {
        for (Route r : routes) {
          String section = r.destination().isIpv4() ? "route" : "route6";
          sb.append("uci add network ").append(section).append('\n');
          sb.append("uci set network.@").append(section).append("[-1].interface='lan'\n");
          sb.append("uci set network.@")
              .append(section)
              .append("[-1].target='")
              .append(r.destination())
              .append("'\n");
          sb.append("uci set network.@")
              .append(section)
              .append("[-1].gateway='")
              .append(InetAddresses.toAddrString(r.gateway()))
              .append("'\n");
        }
        if (!routes.isEmpty()) {
          sb.append("uci commit network\n");
        }
      }
      case DHCP121 -> renderDhcp121(sb, request.gateway());
    }
    return sb.toString();
  }

  /**
   * RFC 3442 classless static routes (IPv4 only) for dnsmasq, ISC dhcpd and Kea, always ending with
   * the default route via {@code gateway}: a client that receives option 121 ignores the Router
   * option. Each route is the prefix length, the significant octets of the destination, then the
   * router; {@code 0.0.0.0/0} is the single octet 0 followed by the router.
   */
  private void renderDhcp121(StringBuilder sb, Inet4Address gateway) {
    List<Route> v4 = routes.stream().filter(r -> r.destination().isIpv4()).toList();
    if (v4.isEmpty()) {
      return; // no option 121 at all: clients keep using the Router option
    }
    var all = new ArrayList<>(v4);
    all.add(new Route("default", Cidr.parse("0.0.0.0/0"), gateway));
    var dnsmasq = new StringBuilder("dhcp-option=121");
    var bytes = new ByteArrayOutputStream();
    for (Route r : all) {
      dnsmasq
          .append(',')
          .append(r.destination())
          .append(',')
          .append(InetAddresses.toAddrString(r.gateway()));
      int len = r.destination().prefixLength();
      bytes.write(len);
      bytes.write(r.destination().network().getAddress(), 0, (len + 7) / 8);
      bytes.write(r.gateway().getAddress(), 0, 4);
    }
    byte[] option = bytes.toByteArray();
    var decimal = new StringJoiner(",");
    for (byte b : option) {
      decimal.add(Integer.toString(b & 0xff));
    }
    sb.append("# dnsmasq\n").append(dnsmasq).append('\n');
    sb.append("# ISC dhcpd: declare the option once, then set it\n")
        .append("option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;\n")
        .append("option rfc3442-classless-static-routes ")
        .append(decimal)
        .append(";\n");
    sb.append("# Kea: one entry of the subnet's \"option-data\"\n")
        .append("{ \"code\": 121, \"csv-format\": false, \"data\": \"")
        .append(HexFormat.ofDelimiter(":").formatHex(option))
        .append("\" }\n");
  }
}
