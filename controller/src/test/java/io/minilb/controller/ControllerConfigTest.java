package io.minilb.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.controller.records.Limits;
import io.minilb.controller.records.ZoneConfig;
import io.minilb.tls.StreamTls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {

  @Test
  void builder_withNothingSet_givesTheProductionDefaults() {
    var c = ControllerConfig.builder().build();

    assertThat(c.grpcListen().getPort()).isEqualTo(9090);
    assertThat(c.httpListen().getPort()).isEqualTo(8080);
    assertThat(c.leaseName()).isEqualTo("minilb-controller");
    assertThat(c.onLostLeadership()).isSameAs(ControllerConfig.EXIT);
    assertThat(c.identity()).startsWith("minilb-");
    assertThat(c.limits()).isEqualTo(new Limits(100, 1_000, 100_000, 10_000));
  }

  @Test
  void ttl_outsideTheOneRange_isRejectedNamingTheFlag() {
    assertThatThrownBy(() -> new ZoneConfig("minilb", "minilb", 0, null, false, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--ttl must be between "
                + ZoneConfig.MIN_TTL
                + " and "
                + ZoneConfig.MAX_TTL
                + ", got 0");
  }

  @Test
  void aDomainOrNsNameThatIsNoDnsName_isRejectedNamingTheFlag() {
    String longLabel = "x".repeat(70) + ".com";

    assertThatThrownBy(() -> new ZoneConfig(longLabel, "minilb", 5, null, false, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--domain: ");
    assertThatThrownBy(() -> new ZoneConfig("minilb", "minilb", 5, longLabel, false, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--ns-name: ");
  }

  @Test
  void aBlankIdentity_isRejectedNamingTheFlag() {
    assertThatThrownBy(() -> ControllerConfig.builder().identity(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--identity");
  }

  @Test
  void aClientCaWithoutACertificate_isRejected() {
    var tls = new StreamTls(null, null, Path.of("ca.pem"), StreamTls.DEFAULT_RELOAD);

    assertThatThrownBy(() -> ControllerConfig.builder().tls(tls).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-client-ca");
  }

  @Test
  void toBuilder_changesOnlyWhatIsSet() {
    var c = ControllerConfig.builder().identity("a").build();

    var d = c.toBuilder().leaseName("other").build();

    assertThat(d)
        .isEqualTo(
            new ControllerConfig(
                c.zone(),
                c.limits(),
                c.grpcListen(),
                c.httpListen(),
                c.leaseNamespace(),
                "other",
                "a",
                c.timing(),
                c.tls(),
                c.streamLimits(),
                c.gatewayDiscovery(),
                c.onLostLeadership(),
                c.onFatalError(),
                c.statusListener(),
                c.clock()));
  }
}
