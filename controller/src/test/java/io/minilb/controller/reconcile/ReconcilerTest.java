package io.minilb.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

  private final AtomicBoolean synced = new AtomicBoolean();
  private final AtomicInteger passes = new AtomicInteger();
  private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
  private Reconciler reconciler = new Reconciler(synced::get, passes::incrementAndGet, fatal::add);

  @AfterEach
  void close() {
    reconciler.close();
  }

  @Test
  void aRequestWhileNotSynced_runsOnceTheInformersSync_withoutAnotherRequest() {
    reconciler.request();
    await("the request was seen and deferred")
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> passes.get() == 0);

    synced.set(true); // e.g. a Gateway API informer found late finishes its list

    await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == 1);
  }

  @Test
  void aFailingPass_isLogged_andTheNextRequestStillRuns() {
    synced.set(true);
    var failures = new AtomicInteger();
    reconciler.close();
    reconciler =
        new Reconciler(
            synced::get,
            () -> {
              if (failures.getAndIncrement() == 0) {
                throw new IllegalStateException("boom");
              }
              passes.incrementAndGet();
            },
            fatal::add);

    reconciler.request();
    await().atMost(Duration.ofSeconds(5)).until(() -> failures.get() >= 1);
    reconciler.request();

    await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 1);
    assertThat(fatal).isEmpty();
  }

  @Test
  void anErrorInAPass_goesToTheFatalHook() {
    synced.set(true);
    reconciler.close();
    reconciler =
        new Reconciler(
            synced::get,
            () -> {
              throw new OutOfMemoryError("simulated");
            },
            fatal::add);

    reconciler.request();

    await().atMost(Duration.ofSeconds(5)).until(() -> fatal.size() == 1);
    assertThat(fatal.get(0)).isInstanceOf(OutOfMemoryError.class);
  }
}
