package io.minilb.resolver.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who counts as one client, and who makes room when a cap is reached. Each connection is an
 * embedded channel from a chosen address; all share one clock that the test moves.
 */
class TcpConnectionGuardTest {

  private final MockTicker ticker = Ticker.newMockTicker();
  private final TcpMetrics metrics = new TcpMetrics(new PrometheusRegistry());
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private TcpConnectionGuard guard;

  @AfterEach
  void closeAll() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @ParameterizedTest(name = "{0} /{1} /{2} -> {3}")
  @CsvSource({
    "2001:db8:1:2:3:4:5:6, 32, 64, 2001:db8:1:2::",
    "2001:db8:1:2:ffff:4:5:6, 32, 64, 2001:db8:1:2::",
    "2001:db8:1:2:3:4:5:6, 32, 56, 2001:db8:1::",
    "2001:db8:1:2ff:3:4:5:6, 32, 60, 2001:db8:1:2f0::",
    "2001:db8:1:2:3:4:5:6, 32, 128, 2001:db8:1:2:3:4:5:6",
    "2001:db8:1:2:3:4:5:6, 32, 0, ::",
    "192.0.2.77, 32, 64, 192.0.2.77",
    "192.0.2.77, 24, 64, 192.0.2.0",
    "192.0.2.77, 28, 64, 192.0.2.64",
    "192.0.2.77, 0, 64, 0.0.0.0",
  })
  void client_keepsThePrefixBits_andClearsTheRest(String address, int v4, int v6, String expected)
      throws Exception {
    assertThat(TcpConnectionGuard.client(InetAddress.getByName(address), v4, v6))
        .isEqualTo(InetAddress.getByName(expected));
  }

  @Test
  void ipv6AddressesInOneSlash64_shareOneClientCap_andOtherPrefixesAreUntouched() throws Exception {
    guard = new TcpConnectionGuard(100, 2, 32, 64, metrics);
    var a = connect("2001:db8::1");
    var b = connect("2001:db8::2");
    var other = connect("2001:db8:0:1::1");
    var c = connect("2001:db8::ffff:3");
    assertThat(a.isOpen()).as("longest stalled of the /64 made room").isFalse();
    assertThat(b.isOpen()).isTrue();
    assertThat(c.isOpen()).isTrue();
    assertThat(other.isOpen()).as("another /64 is another client").isTrue();
    assertThat(metrics.closed("client_cap")).isEqualTo(1);
    assertThat(guard.open()).isEqualTo(3);
  }

  @Test
  void aWiderIpv6Prefix_groupsMoreAddresses() throws Exception {
    guard = new TcpConnectionGuard(100, 1, 32, 48, metrics);
    var a = connect("2001:db8:0:1::1");
    connect("2001:db8:0:2::1");
    assertThat(a.isOpen()).isFalse();
  }

  @Test
  void ipv4Addresses_areEachTheirOwnClientByDefault() throws Exception {
    guard = new TcpConnectionGuard(100, 1, 32, 64, metrics);
    var a = connect("192.0.2.1");
    var b = connect("192.0.2.2");
    assertThat(a.isOpen()).isTrue();
    assertThat(b.isOpen()).isTrue();
    var a2 = connect("192.0.2.1");
    assertThat(a.isOpen()).isFalse();
    assertThat(a2.isOpen()).isTrue();
  }

  @Test
  void whenTheTableIsFull_theConnectionStalledLongestMakesRoom_andTheNewcomerIsServed()
      throws Exception {
    guard = new TcpConnectionGuard(3, 16, 32, 64, metrics);
    var asksOften = connect("192.0.2.1");
    advance(100);
    var trickler = connect("192.0.2.2");
    advance(100);
    trickler.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 40, 1}));
    advance(100);
    var quiet = connect("192.0.2.3");
    for (int i = 0; i < 5; i++) {
      advance(100);
      trickler.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
      asksOften.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 1, 7}));
    }
    var newcomer = connect("192.0.2.4");
    assertThat(trickler.isOpen()).as("mid-frame since before the others' progress").isFalse();
    assertThat(asksOften.isOpen()).isTrue();
    assertThat(quiet.isOpen()).isTrue();
    assertThat(newcomer.isOpen()).isTrue();
    assertThat(metrics.closed("table_full")).isEqualTo(1);

    var next = connect("192.0.2.5");
    assertThat(quiet.isOpen()).as("then the one idle longest").isFalse();
    assertThat(next.isOpen()).isTrue();
    assertThat(guard.open()).isEqualTo(3);
  }

  @Test
  void aClosedConnection_freesItsSlot_withoutEvictingAnyone() throws Exception {
    guard = new TcpConnectionGuard(1, 1, 32, 64, metrics);
    var a = connect("192.0.2.1");
    a.close();
    a.runPendingTasks();
    var b = connect("192.0.2.1");
    assertThat(b.isOpen()).isTrue();
    assertThat(guard.open()).isEqualTo(1);
    assertThat(metrics.closed("table_full") + metrics.closed("client_cap")).isZero();
  }

  private EmbeddedChannel connect(String address) throws Exception {
    var remote = new InetSocketAddress(InetAddress.getByName(address), 40000);
    var deadlines = new TcpDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60), metrics);
    var ch = new From(remote, EmbeddedChannel.builder().ticker(ticker).register(false));
    ch.pipeline().addLast(deadlines, guard);
    ch.register();
    channels.add(ch);
    advance(1);
    return ch;
  }

  private void advance(long millis) {
    ticker.advanceMillis(millis);
    channels.forEach(EmbeddedChannel::runPendingTasks);
  }

  /** An embedded channel with a real remote address. */
  private static final class From extends EmbeddedChannel {
    private final SocketAddress remote;

    From(SocketAddress remote, EmbeddedChannel.Builder builder) {
      super(builder);
      this.remote = remote;
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return remote;
    }
  }
}
