package io.minilb.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minilb.controller.Controller;
import io.minilb.controller.ControllerConfig;
import io.minilb.controller.Leadership;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two controllers against one API server: one leader, one warm follower, and a clean takeover. */
class LeadershipIT {

  private static final Duration LEASE = Duration.ofSeconds(3);
  private final MockApiServer api = new MockApiServer().start(Pipeline.LOOPBACK, 0);
  private final List<String> writers = new CopyOnWriteArrayList<>();
  private final List<Controller> controllers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    controllers.forEach(Controller::close);
    api.close();
  }

  @Test
  void bothAreReady_onlyTheLeaderWrites_andTheFollowerTakesOverWhenItGoes() throws Exception {
    var client = api.client();
    client.resource(EndToEndIT.service("default", "web", "minilb")).create();
    Controller a = start("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> a.ready() && a.leading());
    Controller b = start("b");

    await().atMost(Duration.ofSeconds(10)).until(b::ready);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> a.ready() && a.leading() && b.ready() && !b.leading());
    assertThat(writers).containsOnly("a");

    client
        .services()
        .inNamespace("default")
        .withName("web")
        .editStatus(
            s -> {
              s.getStatus().getLoadBalancer().getIngress().get(0).setHostname("tampered.example");
              return s;
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> writers.size() == 2);
    assertThat(writers).containsOnly("a");

    long stoppedAt = System.nanoTime();
    a.close();
    controllers.remove(a);
    await().atMost(LEASE.multipliedBy(3)).until(b::leading);
    assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(LEASE.multipliedBy(3));
  }

  private Controller start(String identity) throws Exception {
    var config =
        ControllerConfig.builder()
            .ephemeralPorts(Pipeline.LOOPBACK)
            .identity(identity)
            .timing(new Leadership.Timing(LEASE, Duration.ofSeconds(2), Duration.ofMillis(300)))
            .onLostLeadership(() -> {})
            .statusListener((svc, status) -> writers.add(identity))
            .build();
    var c = new Controller(api.client(), config).start();
    controllers.add(c);
    return c;
  }
}
