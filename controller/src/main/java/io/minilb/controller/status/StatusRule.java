package io.minilb.controller.status;

import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import java.util.List;
import java.util.Set;

/** Which status minilb wants on a Service. Pure. */
public final class StatusRule {

  private StatusRule() {}

  /**
   * A qualifying Service's status is exactly our hostname; any other Service loses our hostname and
   * keeps whatever else it has (another load balancer may own it).
   */
  public static DesiredStatus desired(ZoneConfig zone, ServiceView s) {
    return desired(zone, s, Set.of());
  }

  /**
   * As {@link #desired(ZoneConfig, ServiceView)}, except that a Service in {@code dropped} (its
   * records could not be built) is treated as not served: it gets no hostname that names nothing.
   */
  public static DesiredStatus desired(ZoneConfig zone, ServiceView s, Set<ObjectKey> dropped) {
    String ours = zone.hostname(s.namespace(), s.name());
    if (zone.qualifies(s) && !dropped.contains(s.key())) {
      return new DesiredStatus(List.of(ours), List.of());
    }
    return new DesiredStatus(
        s.statusHostnames().stream().filter(h -> !h.equals(ours)).toList(), s.statusIps());
  }
}
