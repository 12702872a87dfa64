package io.minilb.controller.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minilb.controller.view.NodeView;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static final List<NodeView> NODES =
      List.of(
          new NodeView("node-b", List.of("10.244.1.0/24"), List.of("192.168.1.31")),
          new NodeView(
              "node-a",
              List.of("10.244.0.0/24", "fd00:10:244::/64"),
              List.of("192.168.1.30", "fd00:192:168:1::30")),
          new NodeView("node-c", List.of(), List.of("192.168.1.32")));

  private final RouteTable table = RouteTable.of(NODES);

  @Test
  void ip_isOneRoutePerPodCidr_viaTheSameFamilysInternalIp() {
    assertThat(table.render(RouteTable.Format.IP))
        .isEqualTo(
            """
        ip route add 10.244.0.0/24 via 192.168.1.30
        ip -6 route add fd00:10:244::/64 via fd00:192:168:1::30
        ip route add 10.244.1.0/24 via 192.168.1.31
        """);
  }

  @Test
  void routeros_golden() {
    assertThat(table.render(RouteTable.Format.ROUTEROS))
        .isEqualTo(
            """
        /ip route add dst-address=10.244.0.0/24 gateway=192.168.1.30 comment="minilb node-a"
        /ipv6 route add dst-address=fd00:10:244::/64 gateway=fd00:192:168:1::30 comment="minilb node-a"
        /ip route add dst-address=10.244.1.0/24 gateway=192.168.1.31 comment="minilb node-b"
        """);
  }

  @Test
  void openwrt_golden() {
    assertThat(table.render(RouteTable.Format.OPENWRT))
        .isEqualTo(
            """
        uci add network route
        uci set network.@route[-1].interface='lan'
        uci set network.@route[-1].target='10.244.0.0/24'
        uci set network.@route[-1].gateway='192.168.1.30'
        uci add network route6
        uci set network.@route6[-1].interface='lan'
        uci set network.@route6[-1].target='fd00:10:244::/64'
        uci set network.@route6[-1].gateway='fd00:192:168:1::30'
        uci add network route
        uci set network.@route[-1].interface='lan'
        uci set network.@route[-1].target='10.244.1.0/24'
        uci set network.@route[-1].gateway='192.168.1.31'
        uci commit network
        """);
  }

  @Test
  void dhcp121_isRfc3442_asDnsmasqAndHex() {
    // 24 | 10.244.0 | 192.168.1.30, then 24 | 10.244.1 | 192.168.1.31 (RFC 3442 section 2)
    assertThat(table.render(RouteTable.Format.DHCP121))
        .isEqualTo(
            """
        dhcp-option=121,10.244.0.0/24,192.168.1.30,10.244.1.0/24,192.168.1.31
        option rfc3442-classless-static-routes 18:0a:f4:00:c0:a8:01:1e:18:0a:f4:01:c0:a8:01:1f;
        """);
  }

  @Test
  void dhcp121_encodesOnlyTheSignificantOctets() {
    var t =
        RouteTable.of(
            List.of(
                new NodeView(
                    "n",
                    List.of("10.0.0.0/8", "172.16.0.0/12", "10.1.2.128/25"),
                    List.of("192.168.0.1"))));

    assertThat(t.render(RouteTable.Format.DHCP121).lines().skip(1).findFirst().orElseThrow())
        .isEqualTo(
            "option rfc3442-classless-static-routes "
                + "08:0a:c0:a8:00:01:0c:ac:10:c0:a8:00:01:19:0a:01:02:80:c0:a8:00:01;");
  }

  @Test
  void aNodeWithoutPodCidrs_isNamedInAWarningAboutAllocateNodeCidrs() {
    assertThat(table.warnings())
        .singleElement()
        .asString()
        .contains("node-c")
        .contains("--allocate-node-cidrs");
  }

  @Test
  void aPodCidrWithoutAnInternalIpOfItsFamily_isAWarningNotARoute() {
    var t = RouteTable.of(List.of(new NodeView("n", List.of("fd00::/64"), List.of("192.168.0.1"))));

    assertThat(t.routes()).isEmpty();
    assertThat(t.warnings()).singleElement().asString().contains("no IPv6 InternalIP");
  }

  @Test
  void unknownFormat_isRejectedWithTheChoices() {
    assertThatThrownBy(() -> RouteTable.Format.parse("cisco"))
        .hasMessageContaining("ip, routeros, openwrt, dhcp121");
  }
}
