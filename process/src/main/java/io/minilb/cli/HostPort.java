package io.minilb.cli;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code host:port}, {@code :port} (all interfaces) and {@code [v6]:port} into a resolved
 * socket address, rejecting ports outside 0–65535.
 */
public final class HostPort implements ITypeConverter<InetSocketAddress> {

  @Override
  public InetSocketAddress convert(String value) {
    return parse(value);
  }

  public static InetSocketAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new TypeConversionException("'" + value + "' is not host:port");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' has no numeric port");
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException("port out of range in '" + value + "'");
    }
    var address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new TypeConversionException("cannot resolve host in '" + value + "'");
    }
    return address;
  }

  /** {@code 127.0.0.1:8080}, {@code [::1]:53}: as an operator types it, without the {@code /}. */
  public static String format(InetSocketAddress address) {
    var ip = address.getAddress();
    String host = ip == null ? address.getHostString() : ip.getHostAddress();
    if (ip instanceof Inet6Address) {
      host = "[" + host + "]";
    }
    return host + ":" + address.getPort();
  }

  /**
   * The one-line failure for a port that cannot be bound, e.g. {@code cannot listen on
   * 127.0.0.1:8080 (address already in use)}, whatever layer (JDK, Netty, gRPC) wrapped the cause.
   */
  public static IOException cannotListen(InetSocketAddress address, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    reason = reason.substring(reason.lastIndexOf(": ") + 1).strip().toLowerCase(Locale.ROOT);
    return new IOException("cannot listen on " + format(address) + " (" + reason + ")", cause);
  }
}
