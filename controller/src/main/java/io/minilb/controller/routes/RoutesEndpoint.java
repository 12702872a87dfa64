package io.minilb.controller.routes;

import io.minilb.controller.view.NodeView;
import io.minilb.ops.OpsExchange;
import io.minilb.ops.OpsServer;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node routes as the operator sees them: logged as a block whenever they change, and served at
 * {@code /routes?format=ip|routeros|openwrt|dhcp121}. Thread-safe: one writer, many readers.
 */
public final class RoutesEndpoint {

  private static final Logger log = LoggerFactory.getLogger(RoutesEndpoint.class);

  private volatile RouteTable routes = RouteTable.of(List.of());

  /** Recomputes the routes from {@code nodes}; logs the new block when they changed. */
  public void update(List<NodeView> nodes) {
    RouteTable next = RouteTable.of(nodes);
    if (next.equals(routes)) {
      return;
    }
    routes = next;
    var block = new StringBuilder("Add the following routes to your default gateway (router):\n");
    block.append(next.render(RouteTable.Format.IP));
    next.warnings().forEach(w -> block.append("WARNING: ").append(w).append('\n'));
    log.info("node routes changed\n{}", block.toString().stripTrailing());
  }

  /** Serves the current routes; an unknown format, or dhcp121 without a gateway, is a 400. */
  public void handle(OpsExchange ex) throws IOException {
    try {
      OpsServer.text(ex, 200, routes.render(RouteRequest.fromQuery(ex.query())));
    } catch (IllegalArgumentException e) {
      OpsServer.text(ex, 400, e.getMessage() + "\n");
    }
  }
}
