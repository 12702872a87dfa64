package io.minilb.resolver.xfr;

import io.minilb.net.Cidr;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Zone transfer settings, off unless {@code allowTransfer} names a network. Immutable.
 *
 * @param allowTransfer clients that may AXFR/IXFR the zones; empty: transfer is off
 * @param notifyTargets secondaries sent a NOTIFY when a zone's serial changes
 * @param tsigKey when set, transfers must be signed with it, and responses and NOTIFYs are signed
 */
public record TransferConfig(
    List<Cidr> allowTransfer, List<InetSocketAddress> notifyTargets, TsigKey tsigKey) {

  /** No zone transfer (the default). */
  public static final TransferConfig OFF = new TransferConfig(List.of(), List.of(), null);

  public TransferConfig {
    allowTransfer = List.copyOf(allowTransfer);
    notifyTargets = List.copyOf(notifyTargets);
    if (allowTransfer.isEmpty() && (!notifyTargets.isEmpty() || tsigKey != null)) {
      throw new IllegalArgumentException(
          "--notify and --tsig-key need --allow-transfer: a secondary must be allowed to transfer");
    }
  }

  public boolean enabled() {
    return !allowTransfer.isEmpty();
  }
}
