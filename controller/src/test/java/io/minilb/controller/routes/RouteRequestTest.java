package io.minilb.controller.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteRequestTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--gateway | dhcp121 needs --gateway IP: a DHCP client that receives option 121 ignores",
        "gateway   | dhcp121 needs gateway=IP: a DHCP client that receives option 121 ignores"
      })
  void dhcp121_withoutAGateway_isRefused_inOneLineSayingWhy(String name, String message) {
    assertThatThrownBy(() -> RouteRequest.parse("dhcp121", null, name))
        .hasMessageStartingWith(message)
        .hasMessageContaining("0.0.0.0/0")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"router.lan", "fd00::1", "0.0.0.0", "224.0.0.1", "255.255.255.255", ""})
  void dhcp121_withAGatewayThatIsNotAnIpv4Router_isRefused(String gateway) {
    assertThatThrownBy(() -> RouteRequest.parse("dhcp121", gateway, "--gateway"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--gateway");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ip", "routeros", "openwrt"})
  void aGateway_withAnotherFormat_isRefused_ratherThanIgnored(String format) {
    assertThatThrownBy(() -> RouteRequest.parse(format, "192.168.1.1", "--gateway"))
        .hasMessage("--gateway applies only to dhcp121");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "                                   | IP      |",
        "format=routeros                    | ROUTEROS|",
        "format=dhcp121&gateway=192.168.1.1 | DHCP121 | /192.168.1.1",
        "gateway=10.0.0.1&x=y&format=dhcp121| DHCP121 | /10.0.0.1"
      })
  void fromQuery_readsFormatAndGateway(String query, RouteTable.Format format, String gateway) {
    RouteRequest r = RouteRequest.fromQuery(query);

    assertThat(r.format()).isEqualTo(format);
    assertThat(r.gateway() == null ? null : r.gateway().toString()).isEqualTo(gateway);
  }

  @ParameterizedTest
  @ValueSource(strings = {"format=dhcp121", "format=dhcp121&gateway="})
  void fromQuery_dhcp121WithoutAGateway_namesTheQueryParameter(String query) {
    assertThatThrownBy(() -> RouteRequest.fromQuery(query))
        .hasMessageStartingWith("dhcp121 needs gateway=IP");
  }
}
