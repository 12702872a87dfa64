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

  private static final RouteRequest DHCP121 =
      RouteRequest.parse("dhcp121", "192.168.1.1", "--gateway");

  @Test
  void dhcp121_isRfc3442_forDnsmasqIscAndKea_endingWithTheDefaultRoute() {
    // 24 | 10.244.0 | 192.168.1.30, 24 | 10.244.1 | 192.168.1.31, then 0.0.0.0/0 as the single
    // width octet 0 | 192.168.1.1 (RFC 3442 section 3)
    assertThat(table.render(DHCP121))
        .isEqualTo(
            """
        # dnsmasq
        dhcp-option=121,10.244.0.0/24,192.168.1.30,10.244.1.0/24,192.168.1.31,0.0.0.0/0,192.168.1.1
        # ISC dhcpd: declare the option once, then set it
        option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
        option rfc3442-classless-static-routes 24,10,244,0,192,168,1,30,24,10,244,1,192,168,1,31,0,192,168,1,1;
        # Kea: one entry of the subnet's "option-data"
        { "code": 121, "csv-format": false, "data": "18:0a:f4:00:c0:a8:01:1e:18:0a:f4:01:c0:a8:01:1f:00:c0:a8:01:01" }
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

    assertThat(
            t.render(RouteRequest.parse("dhcp121", "192.168.0.254", "--gateway"))
                .lines()
                .filter(l -> l.startsWith("{"))
                .findFirst()
                .orElseThrow())
        .contains(
            "\"data\": \"08:0a:c0:a8:00:01:0c:ac:10:c0:a8:00:01:19:0a:01:02:80:c0:a8:00:01"
                + ":00:c0:a8:00:fe\"");
  }

  @Test
  void dhcp121_withoutIpv4Routes_isEmpty_soClientsKeepTheRouterOption() {
    var t = RouteTable.of(List.of(new NodeView("n", List.of("fd00::/64"), List.of("fd00::1"))));

    assertThat(t.render(DHCP121)).isEmpty();
  }

  @Test
  void dhcp121_withoutAGateway_cannotBeRendered() {
    assertThatThrownBy(() -> table.render(RouteTable.Format.DHCP121))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RFC 3442");
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
