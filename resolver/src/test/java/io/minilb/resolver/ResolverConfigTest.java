package io.minilb.resolver;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResolverConfigTest {

  @ParameterizedTest
  @ValueSource(strings = {"foo", "foo:", ":9090", "foo:99999", "foo:0", "foo:http", " "})
  void aControllerThatIsNotHostPort_isRejectedNamingTheFlag(String target) {
    assertThatThrownBy(() -> ResolverConfig.builder(List.of(target)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--controller");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:9090",
        "minilb-controller.minilb.svc:9090",
        "[::1]:9090",
        "dns:///minilb-controller.minilb.svc:9090"
      })
  void hostPortsAndGrpcUris_areAccepted(String target) {
    assertThatCode(() -> ResolverConfig.builder(List.of(target)).build())
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--tcp-ipv4-prefix", "--tcp-ipv6-prefix", "--tcp-frame-timeout"})
  void tcpLimitsOutOfRange_areRejectedNamingTheFlag(String flag) {
    UnaryOperator<ResolverConfig.Builder> bad =
        switch (flag) {
          case "--tcp-ipv4-prefix" -> b -> b.tcpIpv4Prefix(33);
          case "--tcp-ipv6-prefix" -> b -> b.tcpIpv6Prefix(129);
          default -> b -> b.tcpFrameTimeout(Duration.ZERO);
        };
    assertThatThrownBy(() -> bad.apply(ResolverConfig.builder(List.of("c:1"))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(flag);
  }
}
