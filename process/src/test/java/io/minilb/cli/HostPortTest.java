package io.minilb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void format_printsAddressesAsTyped() {
    assertThat(HostPort.format(new InetSocketAddress("127.0.0.1", 8080)))
        .isEqualTo("127.0.0.1:8080");
    assertThat(HostPort.format(new InetSocketAddress("::1", 53))).isEqualTo("[0:0:0:0:0:0:0:1]:53");
  }

  @Test
  void cannotListen_saysWhichAddressAndWhyInOneLine() {
    var cause =
        new IOException(
            "Failed to bind", new BindException("bind(..) failed: Address already in use"));

    var e = HostPort.cannotListen(new InetSocketAddress("127.0.0.1", 8080), cause);

    assertThat(e).hasMessage("cannot listen on 127.0.0.1:8080 (address already in use)");
  }
}
