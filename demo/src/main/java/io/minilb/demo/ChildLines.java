package io.minilb.demo;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what the demo needs from its children's log lines: the addresses they bound (they listen on
 * port 0) and the phases they reach. Tolerates any timestamp or level prefix and the {@code
 * host/ip} form of a socket address.
 */
final class ChildLines {

  /** A socket address as printed: {@code /127.0.0.1:41234}, {@code localhost/[::1]:53}. */
  private static final String ADDR = "(?:[^\\s,/]*/)?([^\\s,/]+):(\\d+)";

  private static final Pattern CONTROLLER_UP =
      Pattern.compile("stream on " + ADDR + ", ops on " + ADDR);
  private static final Pattern RESOLVER_UP =
      Pattern.compile("serving DNS on " + ADDR + ", ops on " + ADDR);

  /** The two ports a child reported: its service (stream or DNS) and its ops HTTP port. */
  record Ports(int service, int ops) {}

  private ChildLines() {}

  static Optional<Ports> controllerUp(String line) {
    return ports(CONTROLLER_UP, line);
  }

  static Optional<Ports> resolverUp(String line) {
    return ports(RESOLVER_UP, line);
  }

  static boolean leading(String line) {
    return line.contains(" became leader ") || line.contains("leading with epoch");
  }

  static boolean synced(String line) {
    return line.contains("synced with controller");
  }

  private static Optional<Ports> ports(Pattern p, String line) {
    var m = p.matcher(line);
    return m.find()
        ? Optional.of(new Ports(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(4))))
        : Optional.empty();
  }
}
