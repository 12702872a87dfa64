package io.minilb.controller.view;

import java.util.List;

/** A Node's pod CIDRs and InternalIPs, the two things a static route needs. Immutable. */
public record NodeView(String name, List<String> podCidrs, List<String> internalIps) {

  public NodeView {
    podCidrs = List.copyOf(podCidrs);
    internalIps = List.copyOf(internalIps);
  }

  public ObjectKey key() {
    return new ObjectKey("", name);
  }
}
