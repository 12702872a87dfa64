package io.minilb.controller.records;

import io.minilb.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Reverse-DNS names (RFC 1035 in-addr.arpa, RFC 3596 ip6.arpa) for addresses and prefixes. */
final class Reverse {

  private Reverse() {}

  /** The PTR owner name of {@code a}, absolute. */
  static String name(InetAddress a) {
    return prefixName(a, a.getAddress().length * 8);
  }

  /**
   * The reverse zone apex covering {@code cidr}: its prefix rounded down to a whole octet (IPv4) or
   * nibble (IPv6), since reverse names can only be cut there.
   */
  static String zone(Cidr cidr) {
    int unit = cidr.isIpv4() ? 8 : 4;
    int len = Math.max(unit, cidr.prefixLength() - cidr.prefixLength() % unit);
    return prefixName(cidr.network(), len);
  }

  private static String prefixName(InetAddress a, int bits) {
    byte[] b = a.getAddress();
    var sb = new StringBuilder();
    if (a instanceof Inet4Address) {
      for (int i = bits / 8 - 1; i >= 0; i--) {
        sb.append(b[i] & 0xFF).append('.');
      }
      return sb.append("in-addr.arpa.").toString();
    }
    for (int n = bits / 4 - 1; n >= 0; n--) {
      int nibble = (n % 2 == 0) ? (b[n / 2] >> 4) & 0xF : b[n / 2] & 0xF;
      sb.append(Character.forDigit(nibble, 16)).append('.');
    }
    return sb.append("ip6.arpa.").toString();
  }
}
