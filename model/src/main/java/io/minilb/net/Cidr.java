package io.minilb.net;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP prefix with its host bits cleared. Immutable. */
public record Cidr(InetAddress network, int prefixLength) {

  public Cidr {
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range");
    }
    byte[] b = network.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      b[i] &= (byte) (0xFF << (8 - keep));
    }
    try {
      network = InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Cidr parse(String s) {
    int slash = s.indexOf('/');
    InetAddress a = slash < 0 ? null : literal(s.substring(0, slash));
    if (a == null) {
      throw new IllegalArgumentException("'" + s + "' is not a CIDR");
    }
    try {
      return new Cidr(a, Integer.parseInt(s.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a CIDR");
    }
  }

  /** The address of a literal IPv4 or IPv6 string, without any name lookup; null otherwise. */
  public static InetAddress literal(String ip) {
    if (ip == null || ip.isEmpty() || ip.contains("%") || !InetAddresses.isInetAddress(ip)) {
      return null;
    }
    return InetAddresses.forString(ip);
  }

  public boolean isIpv4() {
    return network instanceof Inet4Address;
  }

  public boolean contains(InetAddress a) {
    byte[] n = network.getAddress();
    byte[] x = a.getAddress();
    if (n.length != x.length) {
      return false;
    }
    for (int i = 0; i < n.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      int mask = (0xFF << (8 - keep)) & 0xFF;
      if ((n[i] & mask) != (x[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return InetAddresses.toAddrString(network) + "/" + prefixLength;
  }
}
