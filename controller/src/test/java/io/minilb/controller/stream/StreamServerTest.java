package io.minilb.controller.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.BindableService;
import io.grpc.ConnectivityState;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.minilb.tls.StreamTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamServerTest {

  private static final BindableService NOTHING =
      () -> ServerServiceDefinition.builder("minilb.test.Nothing").build();

  @Test
  void connections_runOnTheServersOwnLoops_whichCloseStops() throws Exception {
    var reloader = Executors.newSingleThreadScheduledExecutor();
    var server =
        StreamServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            StreamTls.NONE,
            NOTHING,
            StreamLimits.defaults(),
            reloader);
    var channel = NettyChannelBuilder.forAddress(server.address()).usePlaintext().build();
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> channel.getState(true) == ConnectivityState.READY);

      assertThat(streamWorkers()).isGreaterThanOrEqualTo(1);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.close();
      reloader.shutdownNow();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> streamWorkers() == 0);
  }

  private static long streamWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("stream-worker-"))
        .count();
  }
}
