package io.minilb.resolver.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slowloris attack on DNS over TCP: every connection slot held by clients spread over many
 * addresses (127.0.0.2 and up; Linux routes all of 127/8 to loopback), each trickling one byte of a
 * frame that never completes. Real TCP clients must still get answers, UDP must not notice, and the
 * attackers' connections must be closed at the frame deadline although bytes keep arriving.
 */
class SlowlorisIT {

  private static final int MAX_CONNECTIONS = 128;
  private static final int PER_CLIENT = 4;
  private static final int ATTACKERS = MAX_CONNECTIONS / PER_CLIENT;
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final Duration TRICKLE = Duration.ofMillis(100);

  private Served server;
  private final List<Attack> attacks = new ArrayList<>();
  private final AtomicBoolean attacking = new AtomicBoolean(true);
  private Thread trickler;

  @AfterEach
  void stop() throws Exception {
    attacking.set(false);
    if (trickler != null) {
      trickler.join(10_000);
    }
    for (Attack a : attacks) {
      a.channel.close();
    }
    server.close();
  }

  @Test
  void tricklingClientsHoldingEverySlot_doNotLockOutRealTcpClients() throws Exception {
    server =
        Served.start(
            RealClientIT.ZONE,
            b ->
                b.tcpIdleTimeout(DEADLINE)
                    .tcpFrameTimeout(DEADLINE)
                    .tcpMaxConnections(MAX_CONNECTIONS)
                    .tcpMaxPerClient(PER_CLIENT));
    for (int i = 0; i < ATTACKERS; i++) {
      var source = InetAddress.getByName("127.0.0." + (2 + i));
      for (int j = 0; j < PER_CLIENT; j++) {
        attacks.add(new Attack(source, server.address()));
      }
    }
    List<Attack> firstWave = List.copyOf(attacks);
    trickler = new Thread(this::trickle, "slowloris");
    trickler.start();
    awaitTableFull();

    for (String tool : List.of("dig", "kdig")) {
      Dig tcp = Dig.run(tool, server.port(), "+tcp", "web.default.minilb", "A");
      assertThat(tcp.status())
          .as(tool + " +tcp during the attack\n" + tcp.raw())
          .isEqualTo("NOERROR");
      assertThat(tcp.answer()).hasSize(3);
    }
    Dig udp = Dig.run("dig", server.port(), "web.default.minilb", "A");
    assertThat(udp.status()).as("UDP during the attack").isEqualTo("NOERROR");
    assertThat(udp.answer()).hasSize(3);

    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (firstWave.stream().anyMatch(a -> a.closedAt == 0) && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    for (Attack a : firstWave) {
      assertThat(a.closedAt).as("an attacking connection was closed").isNotZero();
      assertThat(a.bytesSent)
          .as("bytes kept arriving for longer than the deadline")
          .isGreaterThanOrEqualTo(3);
    }
    assertThat(metric("minilb_resolver_tcp_closed_total{reason=\"frame_deadline\"}"))
        .isGreaterThanOrEqualTo(firstWave.size() - 2.0); // the newcomers may evict a couple
  }

  /** Until stopped: one byte on every open attacking connection per tick; reopen closed ones. */
  private void trickle() {
    while (attacking.get()) {
      synchronized (attacks) {
        for (int i = 0; i < attacks.size(); i++) {
          Attack a = attacks.get(i);
          if (a.closedAt == 0 && !a.sendOneByte()) {
            a.closedAt = System.nanoTime();
            try {
              attacks.add(new Attack(a.source, server.address()));
            } catch (IOException e) {
              // the listener refused the reconnect: the slot stays free, which is fine
            }
          }
        }
      }
      try {
        Thread.sleep(TRICKLE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void awaitTableFull() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (metric("minilb_resolver_tcp_connections") < MAX_CONNECTIONS - 4
        && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(metric("minilb_resolver_tcp_connections"))
        .as("the attack holds (nearly) every slot")
        .isGreaterThanOrEqualTo(MAX_CONNECTIONS - 4.0);
  }

  private double metric(String series) throws Exception {
    return server.metric(series);
  }

  /** One attacking connection: announces a 512-byte message, then sends it a byte at a time. */
  private static final class Attack {
    final InetAddress source;
    final SocketChannel channel;
    volatile long closedAt;
    volatile int bytesSent;
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final ByteBuffer sink = ByteBuffer.allocate(512);

    Attack(InetAddress source, InetSocketAddress server) throws IOException {
      this.source = source;
      channel = SocketChannel.open();
      channel.bind(new InetSocketAddress(source, 0));
      channel.connect(server);
      channel.configureBlocking(false);
    }

    /** False once the server has closed the connection. */
    boolean sendOneByte() {
      try {
        sink.clear();
        if (channel.read(sink) < 0) {
          return false;
        }
        one.clear();
        one.put(0, (byte) (bytesSent == 0 ? 0x02 : 0));
        if (channel.write(one) == 1) {
          bytesSent++;
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
