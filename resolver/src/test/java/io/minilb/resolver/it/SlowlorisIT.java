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
 * frame that never completes, and reconnecting when closed. Real TCP clients must still get
 * answers, UDP must not notice, and the attackers' connections must be closed at the frame deadline
 * although bytes keep arriving well within the idle timeout.
 */
class SlowlorisIT {

  private static final int MAX_CONNECTIONS = 128;
  private static final int PER_CLIENT = 4;
  private static final int ATTACKERS = MAX_CONNECTIONS / PER_CLIENT;
  private static final Duration DEADLINE = Duration.ofSeconds(2);
  private static final Duration TRICKLE = Duration.ofMillis(100);

  private Served server;
  private final List<Attack> attacks = new ArrayList<>(); // guarded by itself
  private final AtomicBoolean attacking = new AtomicBoolean(true);
  private Thread trickler;

  @AfterEach
  void stop() throws Exception {
    attacking.set(false);
    if (trickler != null) {
      trickler.join(10_000);
    }
    synchronized (attacks) {
      for (Attack a : attacks) {
        a.channel.close();
      }
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
    trickler = new Thread(this::trickle, "slowloris");
    trickler.start();
    var firstWave = new ArrayList<Attack>();
    for (int i = 0; i < ATTACKERS; i++) {
      var source = InetAddress.getByName("127.0.0." + (2 + i));
      for (int j = 0; j < PER_CLIENT; j++) {
        var a = new Attack(source, server.address());
        firstWave.add(a);
        synchronized (attacks) {
          attacks.add(a);
        }
      }
    }
    awaitTableFull();

    realClientsAreAnswered(); // while the attackers hold every slot

    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (firstWave.stream().anyMatch(a -> a.closedAt == 0) && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    for (Attack a : firstWave) {
      assertThat(a.closedAt).as("an attacking connection was closed").isNotZero();
    }
    // The real clients evict a few attackers early (the most stalled ones, at once); every other
    // one kept trickling until the frame deadline closed it, far more often than the idle timeout.
    assertThat(firstWave.stream().filter(a -> a.bytesSent >= 5).count())
        .as("attackers that trickled at least 5 bytes before the close")
        .isGreaterThanOrEqualTo(firstWave.size() - 4L);
    assertThat(server.metric("minilb_resolver_tcp_closed_total{reason=\"frame_deadline\"}"))
        .isGreaterThanOrEqualTo(firstWave.size() - 4.0); // the real clients evict a few

    realClientsAreAnswered(); // while the reconnected attackers trickle on
  }

  private void realClientsAreAnswered() throws Exception {
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
  }

  /** Until stopped: one byte on every open attacking connection per tick; reopen closed ones. */
  private void trickle() {
    while (attacking.get()) {
      List<Attack> now;
      synchronized (attacks) {
        now = List.copyOf(attacks);
      }
      for (Attack a : now) {
        if (a.closedAt == 0 && !a.sendOneByte()) {
          a.closedAt = System.nanoTime();
          try {
            var again = new Attack(a.source, server.address());
            synchronized (attacks) {
              attacks.add(again);
            }
          } catch (IOException e) {
            // the listener refused the reconnect: the slot stays free, which is fine
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

  /** Waits until the attack holds every slot but a few (the gauge is sampled; load slows it). */
  private void awaitTableFull() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    double open = 0;
    while (open < MAX_CONNECTIONS - 4 && System.nanoTime() < until) {
      open = server.metric("minilb_resolver_tcp_connections");
    }
    assertThat(open).as("the attack holds (nearly) every slot").isGreaterThanOrEqualTo(124.0);
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
