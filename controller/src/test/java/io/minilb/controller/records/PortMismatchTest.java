package io.minilb.controller.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.controller.view.ClusterState;
import io.minilb.controller.view.ServiceView;
import io.minilb.controller.view.ServiceView.PortView;
import io.minilb.controller.view.SliceView;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortMismatchTest {

  private final RecordBuilder builder = new RecordBuilder(ZoneConfig.defaults());

  @Test
  void build_whenTheServicePortDiffersFromTheEndpointPort_warnsPortMismatch_andStillServes() {
    var svc = withPorts(Fixtures.lb("default", "web"), new PortView("http", "TCP", 80));
    var slice = Fixtures.slice("default", "web-1", "web", "IPv4", Fixtures.ready("10.244.0.1"));

    var build = builder.build(state(svc, slice));

    assertThat(build.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo("PortMismatch");
              assertThat(f.type()).isEqualTo(Finding.Type.Warning);
              assertThat(f.message())
                  .contains("web.default.minilb")
                  .contains("port 80/TCP (http) is served on 8080");
            });
    assertThat(Fixtures.lines(build.records()))
        .contains(Fixtures.normalized(List.of("web.default.minilb. 5 IN A 10.244.0.1")).get(0));
  }

  @Test
  void build_whenThePortsMatch_orDifferOnlyInAnotherProtocol_saysNothing() {
    var same = withPorts(Fixtures.lb("default", "web"), new PortView("http", "TCP", 8080));
    var udp = withPorts(Fixtures.lb("default", "dns"), new PortView("http", "UDP", 53));
    var slices =
        List.of(
            Fixtures.slice("default", "web-1", "web", "IPv4", Fixtures.ready("10.244.0.1")),
            Fixtures.slice("default", "dns-1", "dns", "IPv4", Fixtures.ready("10.244.0.2")));

    var build =
        builder.build(
            new ClusterState(
                List.of(same, udp), slices, List.of(), List.of(), List.of(), List.of()));

    assertThat(build.findings()).isEmpty();
  }

  @Test
  void build_withAnUnnamedSinglePort_comparesTheUnnamedPorts() {
    var svc = withPorts(Fixtures.lb("default", "db"), new PortView("", "TCP", 5432));
    var slice =
        new SliceView(
            "default",
            "db-1",
            "db",
            "IPv4",
            List.of(Fixtures.ready("10.244.0.3")),
            List.of(new PortView(null, "TCP", 15432)));

    var build = builder.build(state(svc, slice));

    assertThat(build.findings())
        .extracting(Finding::message)
        .singleElement()
        .asString()
        .contains("port 5432/TCP is served on 15432");
  }

  private static ClusterState state(ServiceView svc, SliceView slice) {
    return new ClusterState(
        List.of(svc), List.of(slice), List.of(), List.of(), List.of(), List.of());
  }

  private static ServiceView withPorts(ServiceView s, PortView... ports) {
    return new ServiceView(
        s.namespace(),
        s.name(),
        s.type(),
        s.loadBalancerClass(),
        s.publishNotReadyAddresses(),
        s.created(),
        s.annotations(),
        List.of(ports),
        s.statusHostnames(),
        s.statusIps());
  }
}
