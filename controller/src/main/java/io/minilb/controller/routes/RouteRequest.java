package io.minilb.controller.routes;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What to print: a {@link RouteTable.Format} and, for DHCP option 121, the LAN's default gateway.
 * Immutable; a {@code dhcp121} request without a gateway cannot exist, because a DHCP client that
 * receives option 121 ignores the Router option (RFC 3442 section 4): routes without {@code
 * 0.0.0.0/0} would cut the LAN off the internet.
 *
 * @param gateway the IPv4 default router put into option 121 as {@code 0.0.0.0/0}; null for the
 *     other formats
 */
public record RouteRequest(RouteTable.Format format, Inet4Address gateway) {

  /** Why dhcp121 needs a gateway, for the refusal message. */
  static final String WHY =
      "a DHCP client that receives option 121 ignores the Router option (RFC 3442),"
          + " so the routes must carry the default route 0.0.0.0/0 via your LAN's router";

  public RouteRequest {
    if (format == null) {
      throw new IllegalArgumentException("no route format");
    }
    if (format == RouteTable.Format.DHCP121 && gateway == null) {
      throw new IllegalArgumentException("dhcp121 needs the LAN's default gateway: " + WHY);
    }
    if (format != RouteTable.Format.DHCP121 && gateway != null) {
      throw new IllegalArgumentException("a gateway applies only to dhcp121");
    }
  }

  /**
   * Parses user input; {@code gatewayName} is how the caller spells the gateway parameter ({@code
   * --gateway} on the command line, {@code gateway} in a URL) so the one-line refusal names it.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public static RouteRequest parse(String format, String gateway, String gatewayName) {
    RouteTable.Format f = RouteTable.Format.parse(format == null ? "ip" : format);
    boolean given = gateway != null && !gateway.isBlank();
    if (f == RouteTable.Format.DHCP121 && !given) {
      String usage = gatewayName + (gatewayName.startsWith("-") ? " IP" : "=IP");
      throw new IllegalArgumentException("dhcp121 needs " + usage + ": " + WHY);
    }
    if (f != RouteTable.Format.DHCP121 && given) {
      throw new IllegalArgumentException(gatewayName + " applies only to dhcp121");
    }
    return new RouteRequest(f, given ? gatewayAddress(gateway.trim(), gatewayName) : null);
  }

  /**
   * Parses the decoded query of {@code /routes?format=F&gateway=IP} (both optional; format {@code
   * ip} by default).
   *
   * @throws IllegalArgumentException with a one-line reason, for an HTTP 400
   */
  public static RouteRequest fromQuery(String query) {
    String format = "ip";
    String gateway = null;
    for (String kv : query == null ? new String[0] : query.split("&")) {
      if (kv.startsWith("format=")) {
        format = kv.substring("format=".length());
      } else if (kv.startsWith("gateway=")) {
        gateway = kv.substring("gateway=".length());
      }
    }
    return parse(format, gateway, "gateway");
  }

  private static Inet4Address gatewayAddress(String s, String gatewayName) {
    InetAddress a;
    try {
      a = InetAddresses.forString(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          gatewayName + ": '" + s + "' is not an IPv4 address (option 121 is IPv4 only)");
    }
    if (!(a instanceof Inet4Address v4)) {
      throw new IllegalArgumentException(
          gatewayName + ": '" + s + "' is not an IPv4 address (option 121 is IPv4 only)");
    }
    if (v4.isAnyLocalAddress() || v4.isMulticastAddress() || s.equals("255.255.255.255")) {
      throw new IllegalArgumentException(
          gatewayName + ": '" + s + "' cannot be a router (unspecified, multicast or broadcast)");
    }
    return v4;
  }
}
