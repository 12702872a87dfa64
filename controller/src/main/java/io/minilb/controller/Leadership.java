package io.minilb.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease with fabric8's {@code LeaderElector}.
 * Losing leadership runs {@code onLost} unless the process is already shutting down: a controller
 * that might have missed updates must not keep serving as if it led.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Leadership.class);

  /** Lease timing: a dead leader's Lease is taken over within {@code leaseDuration}. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  private final CompletableFuture<?> running;
  private volatile boolean closing;

  /**
   * Campaigns for the Lease of {@code settings}; {@code onStart}/{@code onStop} bracket leading.
   */
  Leadership(
      KubernetesClient client, ControllerConfig settings, Runnable onStart, Runnable onStop) {
    String namespace = settings.leaseNamespace();
    String name = settings.leaseName();
    String identity = settings.identity();
    Timing timing = settings.timing();
    Runnable onLost = settings.onLostLeadership();
    var config =
        new LeaderElectionConfigBuilder()
            .withName("minilb")
            .withLock(new LeaseLock(namespace, name, identity))
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> {
                      log.info("{} became leader (lease {}/{})", identity, namespace, name);
                      onStart.run();
                    },
                    () -> {
                      onStop.run();
                      if (!closing) {
                        log.error(
                            "{} lost leadership of {}/{}; exiting", identity, namespace, name);
                        onLost.run();
                      }
                    },
                    leader -> log.info("leader is now {}", leader)))
            .build();
    log.info("{} campaigning for lease {}/{}", identity, namespace, name);
    this.running = client.leaderElector().withConfig(config).build().start();
  }

  @Override
  public void close() {
    closing = true;
    running.cancel(true);
  }
}
