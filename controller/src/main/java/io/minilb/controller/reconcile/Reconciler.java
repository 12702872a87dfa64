package io.minilb.controller.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reconcile pass on one thread whenever asked, coalescing requests: any number of {@link
 * #request()} calls while a pass is pending cost one pass. A pass runs only when {@code ready}
 * holds (a partial view would publish NXDOMAIN for names not yet listed); a request made before
 * then is kept and retried every {@link #NOT_READY_RETRY} until it holds, so an informer that
 * finishes its list after the last change (a Gateway API kind discovered late) is still served.
 *
 * <p>A {@link RuntimeException} from a pass is logged. An {@link Error} goes to {@code onFatal}:
 * the process should die rather than limp on.
 */
public final class Reconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /** How soon a request made while not ready is tried again. */
  static final Duration NOT_READY_RETRY = Duration.ofMillis(100);

  private final BooleanSupplier ready;
  private final Runnable pass;
  private final Consumer<Throwable> onFatal;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "reconcile");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;
  private volatile long requestedAt;
  private volatile long queuedNanos;

  public Reconciler(BooleanSupplier ready, Runnable pass, Consumer<Throwable> onFatal) {
    this.ready = ready;
    this.pass = pass;
    this.onFatal = onFatal;
  }

  /** Asks for a pass soon; cheap and safe from any thread. */
  public void request() {
    if (dirty.compareAndSet(false, true) && !closed) {
      requestedAt = System.nanoTime();
      thread.execute(this::run);
    }
  }

  private void run() {
    if (!ready.getAsBoolean()) {
      // keep dirty set: requests meanwhile coalesce into this retry
      if (!closed) {
        thread.schedule(this::run, NOT_READY_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    queuedNanos = System.nanoTime() - requestedAt;
    dirty.set(false);
    try {
      pass.run();
    } catch (RuntimeException e) {
      log.error("reconcile failed; keeping the last snapshot", e);
    } catch (Error e) {
      log.error("reconcile hit a fatal error", e);
      onFatal.accept(e);
    }
  }

  /**
   * For the pass running now: how long ago the first request it serves was made (the time the
   * change waited for a pass, including a pass still running when it came).
   */
  public long queuedNanos() {
    return queuedNanos;
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}
