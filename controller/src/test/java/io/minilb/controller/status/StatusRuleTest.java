package io.minilb.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.records.ZoneConfig;
import io.minilb.controller.view.ObjectKey;
import io.minilb.controller.view.ServiceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusRuleTest {

  private final ZoneConfig zone = ZoneConfig.defaults();

  @Test
  void desired_whenTheServiceQualifies_isExactlyOurHostname() {
    var s = service("LoadBalancer", "minilb", List.of("old.example"), List.of("192.0.2.1"));

    assertThat(StatusRule.desired(zone, s))
        .isEqualTo(new DesiredStatus(List.of("web.default.minilb"), List.of()));
  }

  @Test
  void desired_whenTheServicesRecordsWereDropped_givesNoHostnameThatNamesNothing() {
    var s = service("LoadBalancer", "minilb", List.of("web.default.minilb"), List.of());

    assertThat(StatusRule.desired(zone, s, Set.of(new ObjectKey("default", "web"))))
        .isEqualTo(new DesiredStatus(List.of(), List.of()));
  }

  @Test
  void desired_whenTheServiceNoLongerQualifies_dropsOnlyOurHostname() {
    var s =
        service(
            "LoadBalancer",
            "other",
            List.of("web.default.minilb", "lb.example"),
            List.of("192.0.2.1"));

    assertThat(StatusRule.desired(zone, s))
        .isEqualTo(new DesiredStatus(List.of("lb.example"), List.of("192.0.2.1")));
  }

  @Test
  void desired_whenTheServiceIsNotALoadBalancer_keepsWhatItHas() {
    var s = service("ClusterIP", "minilb", List.of(), List.of());

    assertThat(StatusRule.desired(zone, s)).isEqualTo(new DesiredStatus(List.of(), List.of()));
  }

  private static ServiceView service(
      String type, String lbClass, List<String> hostnames, List<String> ips) {
    return new ServiceView(
        "default", "web", type, lbClass, false, Instant.EPOCH, Map.of(), List.of(), hostnames, ips);
  }
}
