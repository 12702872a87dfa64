package io.minilb.controller.records;

import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.ServiceView.PortView;
import io.minilb.controller.view.SliceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The seed's main limitation, made visible: a {@code .minilb} name resolves to pod IPs, so clients
 * reach the pods on the endpoints' port, never on the Service's {@code port}. When the two differ a
 * Service port's clients would connect to a port nothing listens on; the operator hears of it as a
 * Warning Event {@code PortMismatch}. Pure.
 */
final class PortMismatch {

  static final String REASON = "PortMismatch";

  private PortMismatch() {}

  /**
   * A Warning when some port of {@code svc} maps to a different port on its endpoints (ports are
   * matched by name and protocol, as EndpointSlices name them after the Service's ports).
   */
  static Optional<Finding> check(ServiceView svc, List<SliceView> slices, String hostname) {
    var differences = new TreeSet<String>();
    for (PortView port : svc.ports()) {
      for (SliceView slice : slices) {
        for (PortView target : slice.ports()) {
          if (sameName(port, target)
              && port.protocol().equals(target.protocol())
              && port.port() != target.port()) {
            differences.add(describe(port, target));
          }
        }
      }
    }
    if (differences.isEmpty()) {
      return Optional.empty();
    }
    var parts = new ArrayList<>(differences);
    return Optional.of(
        Finding.warning(
            "Service",
            svc.key(),
            REASON,
            hostname
                + " resolves to pod IPs, so clients reach the pods on their own port, not the"
                + " Service's: "
                + String.join(", ", parts)
                + ". Make the pods listen on the Service port, or have clients use the target"
                + " port (SRV records carry it for named ports)."));
  }

  private static boolean sameName(PortView a, PortView b) {
    return Objects.equals(blankToNull(a.name()), blankToNull(b.name()));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String describe(PortView port, PortView target) {
    String name = port.name() == null || port.name().isEmpty() ? "" : " (" + port.name() + ")";
    return "port " + port.port() + "/" + port.protocol() + name + " is served on " + target.port();
  }
}
