package io.minilb.resolver;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
}
