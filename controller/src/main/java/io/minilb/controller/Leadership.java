package io.minilb.controller;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, with client-go's semantics and one
 * request per renewal.
 *
 * <p>The leader renews every retry period with a single update that carries the resourceVersion it
 * last wrote (optimistic concurrency); only when that fails does it read the Lease. A follower
 * reads the Lease every retry period (with client-go's jitter) and takes it once the record has not
 * changed for {@code leaseDuration} by its own clock: it never compares the holder's renewTime with
 * the local clock. A leader that cannot renew for {@code renewDeadline}, or that finds another
 * holder, stops leading; that runs {@code onLost} unless the process is already shutting down: a
 * controller that might have missed updates must not keep serving as if it led. Closing stops
 * leading and then releases the Lease (empty holder), so a follower takes over within a retry
 * period.
 *
 * <p>Threading: every request and every callback runs on one daemon thread; {@link #close()} waits
 * for it.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  // client-go's JitterFactor: a follower waits retryPeriod * [1, 2.2) between reads.
  private static final double JITTER = 1.2;

  /** Lease timing: a dead leader's Lease is taken over within {@code leaseDuration}. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  private final String identity;
  private final String name;
  private final String description;
  private final Timing timing;
  private final Clock clock;
  private final Runnable onStart;
  private final Runnable onStop;
  private final Runnable onLost;
  private final NonNamespaceOperation<Lease, KubernetesResourceList<Lease>, Resource<Lease>> leases;
  private final ScheduledExecutorService thread;

  // Touched only on the lease thread, except the two volatiles.
  private Lease held; // the Lease as last read or written; its resourceVersion guards the update
  private LeaseSpec observed; // the record as last seen, and when (System.nanoTime) it changed
  private long observedAt;
  private long renewedAt; // when the last successful renewal was sent
  private String reportedLeader = "";
  private boolean failing;
  private ScheduledFuture<?> next;
  private volatile boolean leading;
  private volatile boolean closing;
  private volatile boolean exiting; // onLost is running; it may be exiting the process

  /**
   * Campaigns for the Lease of {@code settings}; {@code onStart}/{@code onStop} bracket leading.
   */
  Leadership(
      KubernetesClient client, ControllerConfig settings, Runnable onStart, Runnable onStop) {
    this.identity = settings.identity();
    this.description = settings.leaseNamespace() + "/" + settings.leaseName();
    this.timing = settings.timing();
    this.clock = settings.clock();
    this.onStart = onStart;
    this.onStop = onStop;
    this.onLost = settings.onLostLeadership();
    this.name = settings.leaseName();
    this.leases =
        leaseClient(client, timing).resources(Lease.class).inNamespace(settings.leaseNamespace());
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "minilb-lease");
              t.setDaemon(true);
              return t;
            });
    log.info("{} campaigning for lease {}", identity, description);
    next = thread.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
  }

  /**
   * A client whose requests are not retried (the loop retries) and time out after a retry period
   * (at least 1 s), but never later than {@code leaseDuration - renewDeadline}: a leader stuck in a
   * request notices that it lost the Lease before a follower may take it.
   */
  private static KubernetesClient leaseClient(KubernetesClient client, Timing timing) {
    long bound = timing.leaseDuration().minus(timing.renewDeadline()).toMillis();
    long timeout = Math.min(Math.max(timing.retryPeriod().toMillis(), 1000), bound);
    var config =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestTimeout((int) timeout)
            .withRequestRetryBackoffLimit(0)
            .build();
    return client.newClient(config).adapt(KubernetesClient.class);
  }

  /** Whether this process holds the Lease now. */
  public boolean leading() {
    return leading;
  }

  private void tick() {
    if (closing) {
      return;
    }
    long delay;
    try {
      delay = leading ? renew() : tryAcquire();
    } catch (RuntimeException e) {
      log.error("lease {}: unexpected failure", description, e);
      delay = timing.retryPeriod().toNanos();
    }
    if (!closing) {
      next = thread.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
    }
  }

  /** One renewal attempt; the delay (ns) to the next. */
  private long renew() {
    long start = System.nanoTime();
    long left = renewedAt + timing.renewDeadline().toNanos() - start;
    if (left <= 0) {
      lose("could not renew it for " + timing.renewDeadline().toSeconds() + " s");
      return timing.retryPeriod().toNanos();
    }
    try {
      Lease renewal = new LeaseBuilder(held).editSpec().withRenewTime(now()).endSpec().build();
      try {
        write(renewal);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        // Someone else wrote the Lease: read it, and renew only if it is still ours.
        Lease current = leases.withName(name).get();
        observe(current);
        if (current == null) {
          // Deleted under us: as client-go does, create it again as ours and go on leading.
          create();
          renewedAt = start;
          recovered();
          return timing.retryPeriod().toNanos();
        }
        String holder = holder(current);
        if (!identity.equals(holder)) {
          lose(holder.isEmpty() ? "it was released" : "it is now held by " + holder);
          return jittered();
        }
        write(new LeaseBuilder(current).editSpec().withRenewTime(now()).endSpec().build());
      }
      renewedAt = start;
      recovered();
      return timing.retryPeriod().toNanos();
    } catch (KubernetesClientException e) {
      failed("renew", e);
      // Retry a period later, but look again at the deadline itself.
      return Math.min(timing.retryPeriod().toNanos(), Math.max(left - elapsed(start), 0));
    }
  }

  /** One attempt to take the Lease; the delay (ns) to the next. */
  private long tryAcquire() {
    long start = System.nanoTime();
    try {
      Lease current = leases.withName(name).get();
      if (current == null) {
        create();
        become(start);
        return timing.retryPeriod().toNanos();
      }
      observe(current);
      String holder = holder(current);
      if (!holder.isEmpty()
          && !holder.equals(identity)
          && elapsed(observedAt) < timing.leaseDuration().toNanos()) {
        recovered();
        return jittered();
      }
      // A Lease without a spec is an empty record, as client-go reads it: free to take.
      LeaseSpec was = Objects.requireNonNullElseGet(current.getSpec(), LeaseSpec::new);
      int transitions = Objects.requireNonNullElse(was.getLeaseTransitions(), 0);
      var spec = record(holder.equals(identity) ? transitions : transitions + 1);
      if (holder.equals(identity) && was.getAcquireTime() != null) {
        spec.setAcquireTime(was.getAcquireTime());
      }
      write(new LeaseBuilder(current).withSpec(spec).build());
      become(start);
      return timing.retryPeriod().toNanos();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        failed("acquire", e);
      }
      return jittered();
    }
  }

  /** Creates the Lease as ours: one request; 409 if someone else created it first. */
  private void create() {
    held =
        leases
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withSpec(record(0))
                    .build())
            .create();
    observe(held);
  }

  /** Writes {@code lease} with the resourceVersion it carries: one request; 409 if stale. */
  private void write(Lease lease) {
    held = leases.resource(lease).update();
    observe(held);
  }

  private void become(long start) {
    renewedAt = start;
    recovered();
    if (closing) {
      release(); // won while closing: give it back at once
      return;
    }
    leading = true;
    log.info("{} became leader (lease {})", identity, description);
    onStart.run();
  }

  private void lose(String why) {
    leading = false;
    onStop.run();
    if (!closing) {
      log.error("{} lost leadership of {}: {}; exiting", identity, description, why);
      exiting = true;
      onLost.run();
      exiting = false;
    }
  }

  /** client-go's observedTime: when this process last saw the record change. */
  private void observe(Lease lease) {
    LeaseSpec spec = lease == null ? null : lease.getSpec();
    if (!Objects.equals(spec, observed)) {
      observed = spec;
      observedAt = System.nanoTime();
    }
    String holder = holder(lease);
    if (!holder.equals(reportedLeader)) {
      reportedLeader = holder;
      log.info("leader is now {}", holder.isEmpty() ? "nobody" : holder);
    }
  }

  private LeaseSpec record(int transitions) {
    var spec = new LeaseSpec();
    spec.setHolderIdentity(identity);
    spec.setLeaseDurationSeconds((int) timing.leaseDuration().toSeconds());
    spec.setAcquireTime(now());
    spec.setRenewTime(now());
    spec.setLeaseTransitions(transitions);
    return spec;
  }

  private void failed(String what, KubernetesClientException e) {
    if (!failing) {
      log.warn("lease {}: could not {} ({}); retrying", description, what, e.getMessage());
      failing = true;
    }
  }

  private void recovered() {
    failing = false;
  }

  private long jittered() {
    long period = timing.retryPeriod().toNanos();
    return period + (long) (ThreadLocalRandom.current().nextDouble() * JITTER * period);
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
  }

  private static long elapsed(long since) {
    return System.nanoTime() - since;
  }

  private static String holder(Lease lease) {
    return lease == null || lease.getSpec() == null
        ? ""
        : Objects.requireNonNullElse(lease.getSpec().getHolderIdentity(), "");
  }

  /**
   * Stops campaigning; a leader stops leading ({@code onStop}, never {@code onLost}) and then
   * releases the Lease as client-go's ReleaseOnCancel does, so a follower need not wait for it to
   * expire.
   */
  @Override
  public void close() {
    closing = true;
    // Not while onLost runs: it may be exiting the process, with this close in a shutdown hook.
    if (!exiting && !thread.isShutdown()) {
      var done =
          thread.submit(
              () -> {
                if (next != null) {
                  next.cancel(false);
                }
                if (leading) {
                  leading = false;
                  onStop.run();
                  release();
                }
              });
      try {
        done.get(timing.renewDeadline().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("lease {}: not released ({})", description, e.toString());
      }
    }
    thread.shutdownNow();
  }

  private void release() {
    if (elapsed(renewedAt) >= timing.renewDeadline().toNanos()) {
      return; // it may be someone else's by now
    }
    try {
      ZonedDateTime now = now();
      leases
          .resource(
              new LeaseBuilder(held)
                  .editSpec()
                  .withHolderIdentity("")
                  .withLeaseDurationSeconds(1)
                  .withAcquireTime(now)
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .update();
      log.info("{} released lease {}", identity, description);
    } catch (RuntimeException e) { // KubernetesClientException, or the client is closed
      log.warn("lease {}: not released ({})", description, e.getMessage());
    }
  }
}
