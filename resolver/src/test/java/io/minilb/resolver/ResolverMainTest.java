package io.minilb.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.minilb.cli.Commands;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverMainTest {

  private static ResolverConfig parse(String... args) {
    var main = new ResolverMain();
    Commands.of(main, Map.of()).parseArgs(args);
    return main.config();
  }

  @Test
  void threadsZero_isOnePerCore_atMostFour() {
    assertThat(ResolverMain.defaultThreads(1)).isEqualTo(1);
    assertThat(ResolverMain.defaultThreads(2)).isEqualTo(2);
    assertThat(ResolverMain.defaultThreads(4)).isEqualTo(4);
    assertThat(ResolverMain.defaultThreads(64)).isEqualTo(4);
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(parse("--controller", "127.0.0.1:9090").threads())
        .isEqualTo(Math.min(cores, 4))
        .isEqualTo(parse("--controller", "127.0.0.1:9090", "--threads", "0").threads());
  }

  @Test
  void anExplicitThreadCount_isTakenAsIs() {
    assertThat(parse("--controller", "127.0.0.1:9090", "--threads", "6").threads()).isEqualTo(6);
  }
}
